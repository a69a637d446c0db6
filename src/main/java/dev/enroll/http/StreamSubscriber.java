package dev.enroll.http;

import dev.enroll.credential.RevocationEvent;
import io.javalin.http.sse.SseClient;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * One client of the revocation stream, with its own queue: events are handed to it and
 * sent on a thread of its own, so a client that reads slowly (or not at all) delays no
 * one else. A client that falls too far behind is disconnected; it resumes from its
 * {@code Last-Event-ID}.
 */
final class StreamSubscriber {
  private static final int MAX_PENDING = 10_000;

  private final SseClient client;
  private final Executor sender;
  private final Function<RevocationEvent, String> render;
  private final Queue<RevocationEvent> pending = new ArrayDeque<>();
  private long cursor;
  private boolean sending;
  private boolean heartbeatDue;
  private boolean closed;

  /**
   * A subscriber.
   *
   * @param client the stream
   * @param after the last feed id the client has
   * @param sender runs the sending
   * @param render the event's JSON
   */
  StreamSubscriber(SseClient client, long after, Executor sender,
      Function<RevocationEvent, String> render) {
    this.client = client;
    this.cursor = after;
    this.sender = sender;
    this.render = render;
  }

  /** The last feed id handed to this subscriber. */
  synchronized long cursor() {
    return cursor;
  }

  /** Whether the client has gone. */
  synchronized boolean closed() {
    return closed || client.terminated();
  }

  /**
   * Hands an event over; events it already has are skipped.
   *
   * @param event the event
   */
  synchronized void offer(RevocationEvent event) {
    if (closed() || event.id() <= cursor) {
      return;
    }
    cursor = event.id();
    if (pending.size() >= MAX_PENDING) {
      close();
      return;
    }
    pending.add(event);
    if (!sending) {
      sending = true;
      sender.execute(this::drain);
    }
  }

  /** Sends a comment, unless an event goes out first: a write to a client gone fails. */
  synchronized void heartbeat() {
    if (closed()) {
      return;
    }
    heartbeatDue = true;
    if (!sending) {
      sending = true;
      sender.execute(this::drain);
    }
  }

  /** Ends the stream. */
  synchronized void close() {
    closed = true;
    pending.clear();
    client.close();
  }

  private void drain() {
    while (true) {
      RevocationEvent next;
      boolean beat;
      synchronized (this) {
        boolean open = !closed();
        next = open ? pending.poll() : null;
        beat = open && next == null && heartbeatDue;
        heartbeatDue = false;
        if (next == null && !beat) {
          sending = false;
          pending.clear();
          return;
        }
      }
      if (next != null) {
        client.sendEvent("revocation", render.apply(next), Long.toString(next.id()));
      } else {
        client.sendComment("heartbeat");
      }
    }
  }
}
