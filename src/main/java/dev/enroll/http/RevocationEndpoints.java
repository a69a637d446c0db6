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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
  private static final long HEARTBEAT_SECONDS = 15;

  private final CrlPublisher crl;
  private final OcspResponder ocsp;
  private final Store store;
  private final ConcurrentLinkedQueue<StreamSubscriber> subscribers =
      new ConcurrentLinkedQueue<>();
  private final ExecutorService publisher = Executors.newSingleThreadExecutor(
      daemon("enroll-revocation-publish"));
  private final ExecutorService senders = Executors.newCachedThreadPool(
      daemon("enroll-revocation-send"));
  private final ScheduledExecutorService heartbeats =
      Executors.newSingleThreadScheduledExecutor(daemon("enroll-revocation-heartbeat"));
  private final AtomicBoolean publishPending = new AtomicBoolean();
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
    // A comment on every stream now and then: a client that went away without a word is
    // noticed when the write fails, and proxies see a live connection.
    heartbeats.scheduleWithFixedDelay(this::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS,
        TimeUnit.SECONDS);
  }

  /**
   * The revocation streams open now.
   *
   * @return how many clients are subscribed
   */
  public int openStreams() {
    return (int) subscribers.stream().filter(s -> !s.closed()).count();
  }

  private void heartbeat() {
    subscribers.removeIf(StreamSubscriber::closed);
    subscribers.forEach(StreamSubscriber::heartbeat);
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
      // A bad cursor is refused before the stream's 200 goes out.
      String last = ctx.header("Last-Event-ID");
      cursor(last != null ? last : ctx.queryParam("after"));
      stream.handle(ctx);
    });
  }

  /**
   * Sends every feed entry committed since the last call to every stream subscriber, soon
   * and on a thread of its own: the caller (a revocation that just committed) never waits
   * for a client. Calls in a burst make one pass.
   */
  public void publish() {
    if (publishPending.compareAndSet(false, true)) {
      publisher.execute(() -> {
        publishPending.set(false);
        try {
          publishNow();
        } catch (RuntimeException e) {
          org.slf4j.LoggerFactory.getLogger(RevocationEndpoints.class).atWarn().setCause(e)
              .log("revocation stream publish failed; the next change retries");
        }
      });
    }
  }

  private synchronized void publishNow() {
    subscribers.removeIf(StreamSubscriber::closed);
    for (List<RevocationEvent> page = page(streamed); !page.isEmpty(); page = page(streamed)) {
      for (RevocationEvent event : page) {
        subscribers.forEach(subscriber -> subscriber.offer(event));
        streamed = event.id();
      }
    }
  }

  /** Ends every open stream, so that a stopping server need not wait for them. */
  public void closeStreams() {
    subscribers.forEach(StreamSubscriber::close);
    subscribers.clear();
    publisher.shutdownNow();
    heartbeats.shutdownNow();
    senders.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
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
    ocspAnswer(ctx, Bodies.raw(ctx, MAX_OCSP_BYTES));
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
    StreamSubscriber subscriber = new StreamSubscriber(client, after, senders,
        event -> Json.write(view(event)));
    // Subscribe first, then catch up: an event committed meanwhile comes one way or the
    // other, and the subscriber skips what it has.
    subscribers.add(subscriber);
    client.onClose(() -> subscribers.remove(subscriber));
    for (List<RevocationEvent> page = page(subscriber.cursor()); !page.isEmpty()
        && !subscriber.closed(); page = page(subscriber.cursor())) {
      page.forEach(subscriber::offer);
      if (page.size() < PAGE) {
        break;
      }
    }
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
