package dev.enroll.authority;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SerialTest {
  @Test
  void serialsArePositiveAtMost20OctetsAndDistinct() {
    Set<BigInteger> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      BigInteger serial = Serial.next();
      assertThat(serial.signum()).isPositive();
      assertThat(serial.toByteArray().length).isLessThanOrEqualTo(20);
      assertThat(seen.add(serial)).isTrue();
    }
  }

  @Test
  void laterSerialsSortAfterEarlierOnesAsWritten() {
    long now = System.currentTimeMillis();
    String earlier = Serial.format(Serial.next(now));
    String later = Serial.format(Serial.next(now + 1));

    assertThat(earlier).hasSize(32).isLessThan(later);
    assertThat(Serial.format(Serial.next(now))).as("same millisecond")
        .startsWith(earlier.substring(0, 14)).isNotEqualTo(earlier);
  }

  @Test
  void serialKeepsAtLeast64RandomBits() {
    long now = System.currentTimeMillis();
    Set<String> tails = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      tails.add(Serial.format(Serial.next(now)).substring(14));
    }
    assertThat(tails).hasSize(1_000);
    assertThat(tails.iterator().next()).hasSize(18);
  }

  @Test
  void serialIsWrittenAsOpensslPrintsIt() {
    assertThat(Serial.format(new BigInteger("0a1b", 16))).isEqualTo("0A1B");
    assertThat(Serial.format(new BigInteger("abc", 16))).isEqualTo("0ABC");
    assertThat(Serial.format(BigInteger.valueOf(255))).isEqualTo("FF");
  }
}
