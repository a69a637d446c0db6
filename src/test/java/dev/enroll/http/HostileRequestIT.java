package dev.enroll.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.enroll.testing.TestServer;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests shaped to slip past the routes: each is refused with a problem, changing nothing. */
class HostileRequestIT {
  private static final String BROKEN_CHUNKS = "Transfer-Encoding: chunked\r\n"
      + "Connection: close\r\n\r\nZZ\r\nab\r\n0\r\n\r\n";

  @TempDir static Path directory;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(directory);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aMethodOverrideHeaderIsRefusedBeforeAnyRouteRuns() {
    long tokens = server.scalar("select count(*) from join_token");

    HttpResponse<String> answer = server.send(HttpRequest.newBuilder(server.api("/v1/tokens"))
        .method("GET", HttpRequest.BodyPublishers.ofString("{\"profile\":\"devices\"}"))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + server.adminKey())
        .header("X-HTTP-Method-Override", "POST").build());

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue(Problems.MEDIA_TYPE);
    assertThat(TestServer.json(answer).get("type").asText())
        .isEqualTo("urn:enroll:problem:request-malformed");
    assertThat(TestServer.json(answer).get("detail").asText())
        .contains("X-HTTP-Method-Override");
    assertThat(server.scalar("select count(*) from join_token")).isEqualTo(tokens);
  }

  @Test
  void aMethodOverrideHeaderIsRefusedOnThePlainPortToo() {
    HttpResponse<String> answer = server.send(HttpRequest.newBuilder(server.plain("/metrics"))
        .POST(HttpRequest.BodyPublishers.noBody())
        .header("X-HTTP-Method-Override", "GET").build());

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains("urn:enroll:problem:request-malformed");
  }

  @Test
  void aBodyThatCannotBeReadIsMalformedOnEveryRouteThatReadsOne() throws IOException {
    String approve = request("POST /v1/approvals/no-such-approval/approve",
        "Authorization: Bearer " + server.adminKey() + "\r\nContent-Type: application/json");
    String enroll = request("POST /v1/enrollments", "Content-Type: application/json");
    String ocsp = request("POST /ocsp", "Content-Type: application/ocsp-request");

    assertThat(List.of(overTls(enroll), overTls(approve), overPlain(ocsp)))
        .allSatisfy(answer -> assertThat(answer).startsWith("HTTP/1.1 400")
            .contains(Problems.MEDIA_TYPE)
            .contains("urn:enroll:problem:request-malformed"));
  }

  @Test
  void clientTextEchoedInADetailIsCutAndCleaned() {
    HttpResponse<String> answer = server.send(HttpRequest.newBuilder(
        server.api("/v1/enrollments/" + "a".repeat(3_000) + "%0d%0aX-Injected:%201")).build());

    assertThat(answer.statusCode()).isEqualTo(404);
    String detail = TestServer.json(answer).get("detail").asText();
    assertThat(detail).startsWith("no enrollment aaa").endsWith("...")
        .hasSizeLessThanOrEqualTo(dev.enroll.problem.Printable.DETAIL_MAX + 3);
    assertThat(answer.body()).doesNotContain("X-Injected");
  }

  @Test
  void anAdminKeyNamedWithControlCharactersIsRefused() {
    long keys = server.scalar("select count(*) from admin_key");

    HttpResponse<String> answer = server.postAdmin("/v1/admin-keys",
        "{\"name\":\"ops\\nrole: owner\",\"role\":\"auditor\"}");

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(answer).get("type").asText())
        .isEqualTo("urn:enroll:problem:request-malformed");
    assertThat(server.scalar("select count(*) from admin_key")).isEqualTo(keys);
  }

  private static String request(String line, String headers) {
    return line + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "\r\n" + BROKEN_CHUNKS;
  }

  private static String overTls(String request) throws IOException {
    SSLSocketFactory factory = TestServer.trusting(server.rootsPem()).getSocketFactory();
    try (Socket socket = factory.createSocket("localhost", server.server().httpsPort())) {
      return exchange(socket, request);
    }
  }

  private static String overPlain(String request) throws IOException {
    URI plain = server.plain("/");
    try (Socket socket = new Socket(plain.getHost(), plain.getPort())) {
      return exchange(socket, request);
    }
  }

  private static String exchange(Socket socket, String request) throws IOException {
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
