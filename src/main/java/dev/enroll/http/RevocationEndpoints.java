package dev.enroll.http;

import dev.enroll.authority.CrlPublisher;
import dev.enroll.authority.OcspResponder;
import dev.enroll.credential.RevocationEvent;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import dev.enroll.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * What relying parties use to learn of revocations: the CRL and the OCSP responder on the
 * plain port; the revocation feed and its server-sent-event stream on the API port. All of
 * it is public, as CRLs are.
 */
public final class RevocationEndpoints {
  private static final int MAX_OCSP_BYTES = 16 * 1024;
  private static final int PAGE = 1000;
  private static final String EVENT_STREAM = "text/event-stream";

  private final CrlPublisher crl;
  private final OcspResponder ocsp;
  private final Store store;
  private final ConcurrentLinkedQueue<SseClient> clients = new ConcurrentLinkedQueue<>();
  private long streamed;

  /**
   * The endpoints.
   *
   * @param crl the CRL publisher
   * @param ocsp the OCSP responder
   * @param store the store, for the feed
   */
  public RevocationEndpoints(CrlPublisher crl, OcspResponder ocsp, Store store) {
    this.crl = crl;
    this.ocsp = ocsp;
    this.store = store;
    this.streamed = latestId();
  }

  /**
   * Adds the CRL and OCSP routes.
   *
   * @param app the plain HTTP application
   */
  public void registerPlain(Javalin app) {
    app.get("/crl/{file}", this::crl);
    app.post("/ocsp", this::ocspPost);
    app.get("/ocsp/<request>", this::ocspGet);
  }

  /**
   * Adds the feed routes.
   *
   * @param app the HTTPS application
   */
  public void registerApi(Javalin app) {
    app.get("/v1/revocations", this::feed);
    SseHandler stream = new SseHandler(0, this::subscribe);
    app.get("/v1/revocations/stream", ctx -> {
      if (!EVENT_STREAM.equals(ctx.header("Accept"))) {
        throw new EnrollException(ProblemType.NOT_ACCEPTABLE,
            "the revocation stream is server-sent events: send Accept: " + EVENT_STREAM);
      }
      stream.handle(ctx);
    });
  }

  /**
   * Sends every feed entry committed since the last call to every stream subscriber.
   * Called after each revocation, hold or release commits.
   */
  public synchronized void publish() {
    for (List<RevocationEvent> page = page(streamed); !page.isEmpty(); page = page(streamed)) {
      for (RevocationEvent event : page) {
        String json = Json.write(view(event));
        clients.removeIf(SseClient::terminated);
        clients.forEach(client -> client.sendEvent("revocation", json,
            Long.toString(event.id())));
        streamed = event.id();
      }
    }
  }

  /** Ends every open stream, so that a stopping server need not wait for them. */
  public void closeStreams() {
    clients.forEach(SseClient::close);
    clients.clear();
  }

  private void crl(Context ctx) {
    if (!crl.fileName().equals(ctx.pathParam("file"))) {
      throw new EnrollException(ProblemType.NOT_FOUND, "no such CRL");
    }
    ctx.contentType("application/pkix-crl");
    ctx.header("Cache-Control", "max-age=60");
    ctx.result(crl.current());
  }

  private void ocspPost(Context ctx) {
    byte[] body = ctx.bodyAsBytes();
    if (body.length > MAX_OCSP_BYTES) {
      throw Problems.fromStatus(413);
    }
    ocspAnswer(ctx, body);
  }

  private void ocspGet(Context ctx) {
    byte[] request;
    try {
      request = Base64.getDecoder().decode(ctx.pathParam("request").replace(' ', '+'));
    } catch (IllegalArgumentException e) {
      request = new byte[0];
    }
    ocspAnswer(ctx, request);
  }

  private void ocspAnswer(Context ctx, byte[] request) {
    ctx.contentType("application/ocsp-response");
    ctx.result(ocsp.respond(request));
  }

  private void feed(Context ctx) {
    long after = cursor(ctx.queryParam("after"));
    List<RevocationEvent> page = page(after);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", page.stream().map(RevocationEndpoints::view)
        .collect(Collectors.toList()));
    body.put("next", page.isEmpty() ? after : page.get(page.size() - 1).id());
    ctx.json(body);
  }

  private void subscribe(SseClient client) {
    client.keepAlive();
    String last = client.ctx().header("Last-Event-ID");
    long after = cursor(last != null ? last : client.ctx().queryParam("after"));
    for (List<RevocationEvent> page = page(after); !page.isEmpty();
        page = page(page.get(page.size() - 1).id())) {
      page.forEach(event -> client.sendEvent("revocation", Json.write(view(event)),
          Long.toString(event.id())));
    }
    clients.add(client);
    client.onClose(() -> clients.remove(client));
  }

  private List<RevocationEvent> page(long after) {
    return store.transact(tx -> tx.revocations().after(after, PAGE));
  }

  private long latestId() {
    return store.transact(tx -> tx.revocations().latestId());
  }

  private static long cursor(String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    try {
      long value = Long.parseLong(text);
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Answered below.
    }
    throw new EnrollException(ProblemType.REQUEST_MALFORMED, "after must be a feed cursor");
  }

  private static Map<String, Object> view(RevocationEvent e) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", e.id());
    view.put("serial", e.serial());
    view.put("status", e.status());
    view.put("reason", e.reason());
    view.put("time", e.time().toString());
    return view;
  }
}
