package dev.enroll.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {
  @Test
  void aDetailKeepsTheLettersOfEveryScript() {
    assertThat(Printable.detail("tenant 'ünïcødé-测试' has no profile 'x'"))
        .isEqualTo("tenant 'ünïcødé-测试' has no profile 'x'");
  }

  @Test
  void aDetailLosesControlAndReorderingCharacters() {
    assertThat(Printable.detail("no enrollment x\r\nX-Injected: 1\u0000\u202e\u200b"))
        .isEqualTo("no enrollment x??X-Injected: 1???");
  }

  @Test
  void aLongDetailIsCutAndSaysSo() {
    String detail = Printable.detail("no enrollment " + "a".repeat(7_000));

    assertThat(detail).hasSize(Printable.DETAIL_MAX + 3).endsWith("a...");
  }

  @Test
  void aDetailOfExactlyTheLimitIsNotMarkedCut() {
    String full = "😀".repeat(Printable.DETAIL_MAX);

    assertThat(Printable.detail(full)).isEqualTo(full);
  }
}
