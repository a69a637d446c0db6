package dev.enroll.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpRangeTest {
  @ParameterizedTest(name = "{0} holds {1}: {2}")
  @CsvSource({
      "10.0.0.0/8, 10.255.1.2, true",
      "10.0.0.0/8, 11.0.0.1, false",
      "192.168.0.1/32, 192.168.0.1, true",
      "192.168.0.1/32, 192.168.0.2, false",
      "0.0.0.0/0, 8.8.8.8, true",
      "0.0.0.0/0, ::1, false",
      "fd00::/8, fd12:3456::1, true",
      "fd00::/8, fe80::1, false",
      "::/0, ::1, true",
      "10.1.2.3, 10.1.2.3, true",
  })
  void rangeHoldsAddressesOfItsFamilyAndPrefix(String range, String address, boolean holds)
      throws Exception {
    assertThat(IpRange.parse(range).contains(InetAddress.getByName(address).getAddress()))
        .isEqualTo(holds);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0/33", "::/129", "example.com/8", "10.0.0.0/-1", ""})
  void invalidRangeIsRejected(String text) {
    assertThatThrownBy(() -> IpRange.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
