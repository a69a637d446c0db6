package dev.enroll.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An HTTPS client of Enroll's admin API that trusts only Enroll's own root certificate and
 * authenticates with an admin API key.
 */
final class AdminClient {
  private final HttpClient http;
  private final URI server;
  private final String adminKey;

  AdminClient(URI server, Path rootFile, String adminKey) throws IOException,
      GeneralSecurityException {
    this.server = server;
    this.adminKey = adminKey;
    this.http = HttpClient.newBuilder()
        .sslContext(trusting(rootFile))
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  static SSLContext trusting(Path rootFile) throws IOException, GeneralSecurityException {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(rootFile)) {
      int i = 0;
      for (Certificate root : CertificateFactory.getInstance("X.509")
          .generateCertificates(in)) {
        trust.setCertificateEntry("root-" + i++, root);
      }
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  HttpClient http() {
    return http;
  }

  HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(server.resolve(path))
        .header("Authorization", "Bearer " + adminKey)
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(server.resolve(path))
        .header("Authorization", "Bearer " + adminKey)
        .timeout(Duration.ofSeconds(30))
        .GET()
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static String adminKey(Path keyFile, Path data) throws IOException {
    String fromEnvironment = System.getenv("ENROLL_ADMIN_KEY");
    if (keyFile == null && fromEnvironment != null && !fromEnvironment.isBlank()) {
      return fromEnvironment.trim();
    }
    Path file = keyFile != null ? keyFile : data.resolve("admin.key");
    if (!Files.exists(file)) {
      throw new IOException("no admin key: pass --admin-key-file or set ENROLL_ADMIN_KEY");
    }
    return Files.readString(file).trim();
  }
}
