package dev.enroll.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.enroll.authority.CryptoProviders;
import dev.enroll.authority.KeyType;
import dev.enroll.authority.Pem;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code enroll bench}: the load generator. Pre-generates distinct keys and CSRs, creates
 * one join token for them, enrolls them over HTTPS with keep-alive at a chosen concurrency,
 * and prints enrollments per second with latency percentiles.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure enrollments per second against a running server.")
public final class BenchCommand implements Callable<Integer> {
  @Mixin
  AdminConnection connection;

  @Option(names = "--profile", defaultValue = "devices",
      description = "Profile (${DEFAULT-VALUE})")
  String profile;

  @Option(names = "--count", defaultValue = "10000",
      description = "Measured enrollments (${DEFAULT-VALUE})")
  int count;

  @Option(names = "--warmup", defaultValue = "2000",
      description = "Unmeasured first enrollments (${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--concurrency", defaultValue = "8",
      description = "Concurrent clients (${DEFAULT-VALUE})")
  int concurrency;

  @Option(names = "--key-type", defaultValue = "P-256",
      description = "P-256, P-384 or P-521 (${DEFAULT-VALUE})")
  String keyType;

  @Option(names = "--idempotency", description = "Send an Idempotency-Key with every request")
  boolean idempotency;

  @Override
  public Integer call() throws Exception {
    AdminClient client = connection.client();
    SSLContext tls = AdminClient.trusting(connection.rootFile());
    ObjectMapper json = new ObjectMapper();
    String run = Long.toString(System.currentTimeMillis(), 36);

    System.err.printf("generating %d keys and CSRs (%s)...%n", warmup + count, keyType);
    List<String> csrs = csrs(warmup + count, run);
    String token = token(client, json, warmup + count);
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < csrs.size(); i++) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("profile", profile);
      body.put("subject", Map.of("kind", "device", "externalId", "bench-" + run + "-" + i));
      body.put("attestation", Map.of("type", "token", "token", token));
      body.put("csr", csrs.get(i));
      bodies.add(json.writeValueAsBytes(body));
    }

    System.err.printf("warming up with %d enrollments...%n", warmup);
    drive(tls, bodies.subList(0, warmup), run + "w");
    System.err.printf("measuring %d enrollments at concurrency %d...%n", count, concurrency);
    long started = System.nanoTime();
    Result result = drive(tls, bodies.subList(warmup, warmup + count), run + "m");
    double seconds = (System.nanoTime() - started) / 1e9;

    long[] latencies = result.latencies();
    Arrays.sort(latencies);
    System.out.printf("enrollments: %d ok, %d failed in %.2f s%n", result.ok(), result.failed(),
        seconds);
    System.out.printf("throughput: %.0f enrollments/s at concurrency %d%n",
        result.ok() / seconds, concurrency);
    System.out.printf("latency ms: p50 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
        percentile(latencies, 0.50), percentile(latencies, 0.99),
        percentile(latencies, 0.999), latencies.length == 0 ? 0 : latencies[latencies.length - 1]
            / 1e6);
    result.statuses().forEach((status, n) -> System.out.printf("status %d: %d%n", status, n.get()));
    return result.failed() == 0 ? 0 : 1;
  }

  private Result drive(SSLContext tls, List<byte[]> bodies, String keyPrefix)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    long[] latencies = new long[bodies.size()];
    LongAdder failed = new LongAdder();
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    java.net.URI server = connection.server;
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < concurrency; w++) {
        workers.add(pool.submit(() -> {
          try (KeepAliveConnection socket = new KeepAliveConnection(tls, server)) {
            for (int i = next.getAndIncrement(); i < bodies.size();
                i = next.getAndIncrement()) {
              String headers = idempotency ? "Idempotency-Key: " + keyPrefix + "-" + i + "\r\n"
                  : "";
              long start = System.nanoTime();
              int status;
              try {
                status = socket.post("/v1/enrollments", headers, bodies.get(i));
              } catch (Exception e) {
                status = -1;
                errors.computeIfAbsent(e.toString(), k -> new AtomicInteger())
                    .incrementAndGet();
              }
              latencies[i] = System.nanoTime() - start;
              statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
              if (status != 201) {
                failed.increment();
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    } finally {
      pool.shutdown();
    }
    errors.forEach((error, n) -> System.err.printf("failed %d times: %s%n", n.get(), error));
    int bad = failed.intValue();
    return new Result(bodies.size() - bad, bad, latencies, statuses);
  }

  private List<String> csrs(int n, String run) throws Exception {
    KeyType type = KeyType.parse(keyType);
    if (type == null || type.curve() == null) {
      throw new IllegalArgumentException("--key-type must be P-256, P-384 or P-521");
    }
    CryptoProviders providers = CryptoProviders.get();
    KeyPairGenerator generator = providers.keyPairGenerator("EC");
    generator.initialize(new ECGenParameterSpec(type.curve()));
    List<String> csrs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      KeyPair pair = generator.generateKeyPair();
      byte[] der = new JcaPKCS10CertificationRequestBuilder(
              new X500Name("CN=bench-" + run + "-" + i), pair.getPublic())
          .build(new JcaContentSignerBuilder(type.signatureAlgorithm())
              .setProvider(providers.bouncyCastle()).build(pair.getPrivate()))
          .getEncoded();
      csrs.add(Pem.encode("CERTIFICATE REQUEST", der));
    }
    return csrs;
  }

  private String token(AdminClient client, ObjectMapper json, int uses) throws Exception {
    Map<String, Object> body = Map.of("profile", profile, "uses", uses, "ttl", "2h");
    HttpResponse<String> response = client.post("/v1/tokens", json.writeValueAsString(body));
    JsonNode answer = json.readTree(response.body());
    if (response.statusCode() != 201) {
      throw new IllegalStateException("token creation failed: " + response.body());
    }
    return answer.get("token").asText();
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }

  private record Result(
      int ok, int failed, long[] latencies, Map<Integer, AtomicInteger> statuses) {}
}
