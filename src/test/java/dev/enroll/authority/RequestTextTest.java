package dev.enroll.authority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.enroll.problem.EnrollException;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RequestTextTest {
  private static final byte[] DER = {0x30, 0x03, 0x02, 0x01, 0x05, 0x7f, (byte) 0xfe};
  private static final String B64 = Base64.getEncoder().encodeToString(DER);

  @Test
  void pemWithTextBeforeAndCrlfLinesDecodes() {
    String pem = "Subject: sensor\r\n-----BEGIN CERTIFICATE REQUEST-----\r\n"
        + B64.substring(0, 4) + "\r\n" + B64.substring(4) + "\r\n"
        + "-----END CERTIFICATE REQUEST-----\r\n";

    assertThat(RequestText.decode(pem)).isEqualTo(DER);
  }

  @Test
  void newLabelAndByteOrderMarkDecode() {
    String pem = "\uFEFF-----BEGIN NEW CERTIFICATE REQUEST-----\n" + B64
        + "\n-----END NEW CERTIFICATE REQUEST-----\n";

    assertThat(RequestText.decode(pem)).isEqualTo(DER);
  }

  @Test
  void aBrokenBlockIsPassedOverForAWellFormedOne() {
    String pem = "-----BEGIN CERTIFICATE REQUEST-----\nnot*base64\n"
        + "-----END CERTIFICATE REQUEST-----\n"
        + "-----BEGIN CERTIFICATE REQUEST-----\n" + B64
        + "\n-----END CERTIFICATE REQUEST-----\n";

    assertThat(RequestText.decode(pem)).isEqualTo(DER);
  }

  @Test
  void bareBase64AndBase64UrlDecode() {
    String url = Base64.getUrlEncoder().withoutPadding().encodeToString(DER);

    assertThat(RequestText.decode(" " + B64 + "\n")).isEqualTo(DER);
    assertThat(RequestText.decode(url)).isEqualTo(DER);
  }

  @Test
  void anotherPemLabelIsRefusedByName() {
    String pem = "-----BEGIN CERTIFICATE-----\n" + B64 + "\n-----END CERTIFICATE-----\n";

    assertThatThrownBy(() -> RequestText.decode(pem)).isInstanceOf(EnrollException.class)
        .hasMessageContaining("labelled 'CERTIFICATE'");
  }

  @Test
  void aBlockWithoutItsEndIsRefusedAsIncomplete() {
    String pem = "-----BEGIN CERTIFICATE REQUEST-----\n" + B64.substring(0, 6) + "\n";

    assertThatThrownBy(() -> RequestText.decode(pem)).isInstanceOf(EnrollException.class)
        .hasMessageContaining("incomplete").hasMessageNotContaining("labelled");
  }

  @Test
  void aBlockWithTextInsideIsRefusedAsIncomplete() {
    String pem = "-----BEGIN NEW CERTIFICATE REQUEST-----\n" + B64 + "\n%%%\n"
        + "-----END NEW CERTIFICATE REQUEST-----\n";

    assertThatThrownBy(() -> RequestText.decode(pem)).isInstanceOf(EnrollException.class)
        .hasMessageContaining("incomplete");
  }
}
