package dev.enroll.testing;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token issuer's key publication over real HTTP on loopback: a JSON Web Key Set at
 * {@code /jwks.json} and an OpenID Connect discovery document, with a count of fetches.
 */
public final class JwksServer implements AutoCloseable {
  private final HttpServer http;
  private final List<JWK> keys = new ArrayList<>();
  private final AtomicInteger jwksFetches = new AtomicInteger();

  private JwksServer(HttpServer http) {
    this.http = http;
  }

  /**
   * Starts on an ephemeral port of 127.0.0.1.
   *
   * @param keys the keys published at first (their public halves)
   * @return the running server
   */
  public static JwksServer start(JWK... keys) {
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      JwksServer server = new JwksServer(http);
      server.publish(keys);
      http.createContext("/jwks.json", server::jwks);
      http.createContext("/.well-known/openid-configuration", server::discovery);
      http.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replaces the published keys. */
  public synchronized void publish(JWK... published) {
    keys.clear();
    for (JWK key : published) {
      keys.add(key.toPublicJWK());
    }
  }

  /** The issuer URL, which discovery is served under. */
  public String issuer() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  /** The key set's URL. */
  public String jwksUri() {
    return issuer() + "/jwks.json";
  }

  /** How often the key set was fetched. */
  public int jwksFetches() {
    return jwksFetches.get();
  }

  private void jwks(HttpExchange exchange) throws IOException {
    jwksFetches.incrementAndGet();
    String body;
    synchronized (this) {
      body = new JWKSet(new ArrayList<>(keys)).toString();
    }
    answer(exchange, body);
  }

  private void discovery(HttpExchange exchange) throws IOException {
    answer(exchange, "{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + jwksUri() + "\","
        + "\"id_token_signing_alg_values_supported\":[\"RS256\",\"ES256\"]}");
  }

  private static void answer(HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
