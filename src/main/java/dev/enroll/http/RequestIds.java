package dev.enroll.http;

import dev.enroll.store.Ids;
import io.javalin.http.Context;
import java.util.regex.Pattern;

/**
 * Request ids: taken from a well-formed {@code X-Request-Id} header or made up, echoed in
 * the response, and written in the access log, audit events and problem documents.
 */
public final class RequestIds {
  /** The header carrying the request id both ways. */
  public static final String HEADER = "X-Request-Id";

  private static final String ATTRIBUTE = "enroll.requestId";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private RequestIds() {}

  /**
   * Assigns the request its id.
   *
   * @param ctx the request
   */
  public static void assign(Context ctx) {
    String offered = ctx.header(HEADER);
    String id = offered != null && SAFE.matcher(offered).matches()
        ? offered : Ids.next();
    ctx.attribute(ATTRIBUTE, id);
    ctx.header(HEADER, id);
  }

  /**
   * The request's id.
   *
   * @param ctx the request
   * @return the id, or {@code -} before one was assigned
   */
  public static String of(Context ctx) {
    String id = ctx.attribute(ATTRIBUTE);
    return id == null ? "-" : id;
  }
}
