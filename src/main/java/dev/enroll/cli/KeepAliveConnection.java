package dev.enroll.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One blocking HTTP/1.1 keep-alive connection over TLS, for the load generator: it writes a
 * prepared request and reads the status and body, and little else, so that the client
 * spends as little of a shared machine's CPU as it can. Not a general HTTP client.
 */
final class KeepAliveConnection implements AutoCloseable {
  private final SSLContext tls;
  private final URI server;
  private SSLSocket socket;
  private InputStream in;
  private OutputStream out;

  KeepAliveConnection(SSLContext tls, URI server) {
    this.tls = tls;
    this.server = server;
  }

  /**
   * Sends a POST with a JSON body and reads the answer.
   *
   * @param path the path
   * @param extraHeaders header lines ending in CRLF, or an empty string
   * @param body the body
   * @return the HTTP status
   * @throws IOException when the connection fails; the next call reconnects
   */
  int post(String path, String extraHeaders, byte[] body) throws IOException {
    if (socket == null) {
      connect();
    }
    try {
      String head = "POST " + path + " HTTP/1.1\r\nHost: " + server.getHost() + "\r\n"
          + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n"
          + extraHeaders + "\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      return readResponse();
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private int readResponse() throws IOException {
    String statusLine = readLine();
    if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) {
      throw new IOException("no HTTP response");
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    long length = -1;
    boolean close = false;
    for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring(15).trim());
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        close = true;
      }
    }
    if (length < 0) {
      throw new IOException("response without Content-Length");
    }
    in.skipNBytes(length);
    if (close) {
      close();
    }
    return status;
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    for (int b = in.read(); b != -1; b = in.read()) {
      if (b == '\n') {
        int n = line.size();
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, n > 0 && bytes[n - 1] == '\r' ? n - 1 : n,
            StandardCharsets.US_ASCII);
      }
      line.write(b);
    }
    return null;
  }

  private void connect() throws IOException {
    int port = server.getPort() < 0 ? 443 : server.getPort();
    SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(server.getHost(), port);
    SSLParameters parameters = s.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    s.setSSLParameters(parameters);
    s.setTcpNoDelay(true);
    s.startHandshake();
    socket = s;
    in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
    out = s.getOutputStream();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // Closing a broken connection; nothing to do.
      }
      socket = null;
    }
  }
}
