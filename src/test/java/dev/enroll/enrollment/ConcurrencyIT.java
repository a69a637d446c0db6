package dev.enroll.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.enroll.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Races between enrollments are settled by the store, never by luck. */
class ConcurrencyIT {
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
  void tokenWithFiftyUsesEnrollsExactlyFiftyOfAHundredConcurrentDevices() throws Exception {
    String token = server.token("default", "devices", 50);
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String id = "racer-" + i;
      bodies.add(TestServer.enrollment("devices", id, token, csr(id)));
    }

    List<HttpResponse<String>> responses = concurrently(bodies.size(),
        i -> server.enroll(bodies.get(i)));

    Map<Integer, Long> byStatus = responses.stream()
        .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
    assertThat(byStatus).containsOnly(Map.entry(201, 50L), Map.entry(403, 50L));
    assertThat(responses.stream().filter(r -> r.statusCode() == 403))
        .allSatisfy(r -> assertThat(TestServer.json(r).get("type").asText())
            .isEqualTo("urn:enroll:problem:token-used-up"));
    assertThat(server.scalar("select count(*) from credential")).isEqualTo(50);
    assertThat(server.scalar("select count(*) from subject where external_id like 'racer-%'"))
        .isEqualTo(50);
    assertThat(server.scalar("select uses_left from join_token")).isZero();
    assertThat(server.scalar("select count(*) from audit_event where action ="
        + " 'token.used-up'")).isEqualTo(1);
    assertThat(server.scalar("select count(*) from audit_event where reason ="
        + " 'token-used-up'")).isEqualTo(50);
  }

  @Test
  void sameIdempotencyKeyTenTimesAtOnceIssuesOnceAndAnswersAlike() throws Exception {
    String body = TestServer.enrollment("devices", "twin", server.token("default", "devices",
        10), csr("twin"));
    long credentials = server.scalar("select count(*) from credential");

    List<HttpResponse<String>> responses = concurrently(10,
        i -> server.enroll(body, "Idempotency-Key", "key-twin-1"));

    assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.body())
        .isEqualTo(201));
    assertThat(responses.stream().map(HttpResponse::body).distinct()).hasSize(1);
    assertThat(server.scalar("select count(*) from credential")).isEqualTo(credentials + 1);
    assertThat(server.scalar("select count(*) from subject where external_id = 'twin'"))
        .isEqualTo(1);
    assertThat(server.scalar("select count(*) from audit_event where action ="
        + " 'enrollment.issued'")).isEqualTo(server.scalar("select count(*) from credential"));
  }

  @Test
  void sameIdempotencyKeyWithAnotherBodyIsAConflict() throws Exception {
    String token = server.token("default", "devices", 2);
    String first = TestServer.enrollment("devices", "first-body", token, csr("first-body"));
    String second = TestServer.enrollment("devices", "other-body", token, csr("other-body"));
    assertThat(server.enroll(first, "Idempotency-Key", "key-2").statusCode()).isEqualTo(201);
    long credentials = server.scalar("select count(*) from credential");

    HttpResponse<String> response = server.enroll(second, "Idempotency-Key", "key-2");

    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(TestServer.json(response).get("type").asText())
        .isEqualTo("urn:enroll:problem:idempotency-key-reused");
    assertThat(server.scalar("select count(*) from credential")).isEqualTo(credentials);
  }

  @Test
  void retryWithTheSameKeyAfterARefusalGetsTheSameRefusal() throws Exception {
    String body = TestServer.enrollment("devices", "refused-twin", "ejt_unknown",
        csr("refused-twin"));
    HttpResponse<String> first = server.enroll(body, "Idempotency-Key", "key-3");
    HttpResponse<String> again = server.enroll(body, "Idempotency-Key", "key-3");

    assertThat(first.statusCode()).isEqualTo(401);
    assertThat(again.statusCode()).isEqualTo(401);
    assertThat(TestServer.json(again).get("type")).isEqualTo(TestServer.json(first)
        .get("type"));
  }

  private static <T> List<T> concurrently(int count, Function<Integer, T> call)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(count);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int n = i;
        Callable<T> task = () -> {
          start.await();
          return call.apply(n);
        };
        futures.add(pool.submit(task));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(120, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private static String csr(String id) {
    return dev.enroll.testing.Csrs.p256(id);
  }
}
