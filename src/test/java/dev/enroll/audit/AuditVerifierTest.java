package dev.enroll.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.enroll.authority.CryptoProviders;
import dev.enroll.authority.KeyFiles;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditVerifierTest {
  @TempDir Path directory;
  AuditKey key;
  AuditVerifier verifier;
  List<ChainedEvent> chain;
  List<Checkpoint> checkpoints;

  @BeforeEach
  void tenEventsWithACheckpointAtFive() {
    key = AuditKey.openOrCreate(directory, new KeyFiles("pass".toCharArray(),
        CryptoProviders.get()), CryptoProviders.get());
    verifier = new AuditVerifier(List.of(AuditKey.parsePublicKey(key.publicKeyPem())));
    chain = new ArrayList<>();
    ChainedEvent head = null;
    for (int i = 1; i <= 10; i++) {
      head = AuditChain.link(head, event("enrollment.issued", "credential:" + i));
      chain.add(head);
    }
    checkpoints = new ArrayList<>(List.of(key.sign(5, chain.get(4).hash(), Instant.now())));
  }

  @Test
  void intactChainVerifiesAndSaysWhatIsNotYetSealed() {
    AuditVerifier.Outcome outcome = verify(null);
    assertThat(outcome.ok()).isTrue();
    assertThat(outcome.headSeq()).isEqualTo(10);
    assertThat(outcome.headHash()).isEqualTo(chain.get(9).hash());
    assertThat(outcome.checkpoints()).isEqualTo(1);
    assertThat(outcome.uncovered()).isEqualTo(5);
  }

  @Test
  void changedFieldIsFoundAtItsEvent() {
    ChainedEvent e = chain.get(3);
    chain.set(3, new ChainedEvent(4, event("enrollment.issued", "credential:999"),
        e.prevHash(), e.hash()));
    assertBroken(verify(null), 4, "does not match its hash");
  }

  @Test
  void deletedEventIsAGap() {
    chain.remove(6);
    assertBroken(verify(null), 7, "missing");
  }

  @Test
  void swappedEventsBreakTheLinks() {
    ChainedEvent third = chain.get(2);
    ChainedEvent fourth = chain.get(3);
    chain.set(2, new ChainedEvent(3, fourth.event(), fourth.prevHash(), fourth.hash()));
    chain.set(3, new ChainedEvent(4, third.event(), third.prevHash(), third.hash()));
    assertBroken(verify(null), 3, "does not link");
  }

  @Test
  void insertedEventWithRecomputedHashesIsCaughtByTheCheckpoint() {
    List<ChainedEvent> forged = new ArrayList<>(chain.subList(0, 2));
    ChainedEvent head = forged.get(1);
    head = AuditChain.link(head, event("token.created", "token:forged"));
    forged.add(head);
    for (ChainedEvent e : chain.subList(2, 10)) {
      head = AuditChain.link(head, e.event());
      forged.add(head);
    }
    chain = forged;
    assertBroken(verify(null), 5, "differs from what checkpoint 5 signed");
  }

  @Test
  void forgedCheckpointIsRefused() {
    Checkpoint real = checkpoints.get(0);
    checkpoints.set(0, new Checkpoint(real.seq(), chain.get(9).hash(), real.time(),
        real.keyId(), real.signature()));
    assertBroken(verify(null), 5, "no valid signature");
  }

  @Test
  void truncatedTailIsFoundWithACheckpointKeptElsewhere() {
    Checkpoint kept = key.sign(10, chain.get(9).hash(), Instant.now());
    chain = new ArrayList<>(chain.subList(0, 7));
    assertThat(verify(null).ok()).as("without a copy the cut is invisible").isTrue();
    assertBroken(verify(kept), 8, "cut off");
  }

  @Test
  void checkpointByAnotherKeyIsRefused(@TempDir Path other) {
    AuditKey stranger = AuditKey.openOrCreate(other, new KeyFiles("x".toCharArray(),
        CryptoProviders.get()), CryptoProviders.get());
    checkpoints.add(stranger.sign(10, chain.get(9).hash(), Instant.now()));
    assertBroken(verify(null), 10, "no valid signature");
  }

  @Test
  void canonicalFormSortsDetailsAndIncludesThePreviousHash() {
    AuditEvent a = new AuditEvent(Instant.parse("2026-01-01T00:00:00.000001Z"), "t", "system",
        "x", "y", "success", null, null, Map.of("b", 2, "a", 1));
    String text = new String(AuditChain.canonical(1, a, AuditChain.GENESIS));
    assertThat(text).isEqualTo("{\"action\":\"x\",\"actor\":\"system\","
        + "\"details\":{\"a\":1,\"b\":2},\"outcome\":\"success\",\"prev\":\""
        + AuditChain.GENESIS + "\",\"reason\":null,\"requestId\":null,\"seq\":1,"
        + "\"target\":\"y\",\"tenant\":\"t\",\"time\":\"2026-01-01T00:00:00.000001Z\"}");
    assertThat(AuditChain.hash(1, a, AuditChain.GENESIS))
        .isNotEqualTo(AuditChain.hash(1, a, "1".repeat(64)));
  }

  @Test
  void exportLinesReadBackToTheSameHashes() {
    for (ChainedEvent e : chain) {
      ChainedEvent read = (ChainedEvent) AuditJson.parse(AuditJson.line(e));
      assertThat(AuditChain.hash(read.seq(), read.event(), read.prevHash())).isEqualTo(e.hash());
    }
    Checkpoint c = (Checkpoint) AuditJson.parse(AuditJson.line(checkpoints.get(0)));
    PublicKey publicKey = AuditKey.parsePublicKey(key.publicKeyPem());
    assertThat(AuditKey.verify(c, publicKey)).isTrue();
  }

  private AuditVerifier.Outcome verify(Checkpoint expected) {
    return verifier.verify(Collections.unmodifiableList(chain).iterator(), checkpoints,
        expected);
  }

  private static void assertBroken(AuditVerifier.Outcome outcome, long seq, String problem) {
    assertThat(outcome.ok()).isFalse();
    assertThat(outcome.badSeq()).isEqualTo(seq);
    assertThat(outcome.problem()).contains(problem);
  }

  private static AuditEvent event(String action, String target) {
    return new AuditEvent(Instant.parse("2026-12-03T10:00:00Z"), "default", "system", action,
        target, "success", null, "req-1", Map.of("profile", "devices"));
  }
}
