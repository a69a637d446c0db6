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
  void serialIsWrittenAsOpensslPrintsIt() {
    assertThat(Serial.format(new BigInteger("0a1b", 16))).isEqualTo("0A1B");
    assertThat(Serial.format(new BigInteger("abc", 16))).isEqualTo("0ABC");
    assertThat(Serial.format(BigInteger.valueOf(255))).isEqualTo("FF");
  }
}
