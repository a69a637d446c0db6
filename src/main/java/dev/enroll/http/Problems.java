package dev.enroll.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.Printable;
import dev.enroll.problem.ProblemType;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.eclipse.jetty.http.BadMessageException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one problem mapper: turns any exception into an RFC 9457 problem document. Enroll's
 * own problems keep their type and detail; anything else becomes a 500 whose detail reveals
 * nothing, and its cause is logged with the request id.
 */
public final class Problems {
  /** The media type of problem documents. */
  public static final String MEDIA_TYPE = "application/problem+json";

  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

  private final ObjectMapper json;

  /**
   * A mapper writing with the API's JSON mapper.
   *
   * @param json the mapper
   */
  public Problems(ObjectMapper json) {
    this.json = json;
  }

  /**
   * Answers with a problem.
   *
   * @param problem the problem
   * @param ctx the request
   */
  public void write(EnrollException problem, Context ctx) {
    if (problem.type().status() >= 500 && problem.getCause() != null) {
      LOG.atWarn().setCause(problem.getCause())
          .addKeyValue("requestId", RequestIds.of(ctx))
          .addKeyValue("type", problem.type().slug())
          .log("request failed");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", problem.type().uri());
    body.put("title", problem.type().title());
    body.put("status", problem.type().status());
    body.put("detail", Printable.detail(problem.detail()));
    body.put("instance", "urn:enroll:request:" + RequestIds.of(ctx));
    problem.extensions().forEach(body::putIfAbsent);
    Object retry = problem.extensions().get("retryAfterSeconds");
    if (retry != null) {
      ctx.header("Retry-After", retry.toString());
    }
    if (problem.type().status() == 401) {
      ctx.header("WWW-Authenticate", "Bearer");
    }
    ctx.status(problem.type().status());
    ctx.contentType(MEDIA_TYPE);
    try {
      // Bytes, not a string: JSON is UTF-8 whatever charset the container would assume.
      ctx.result(json.writeValueAsBytes(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Answers with a problem for an unexpected exception, logging its cause.
   *
   * @param e the exception
   * @param ctx the request
   */
  public void unexpected(Exception e, Context ctx) {
    if (e instanceof EnrollException) {
      write((EnrollException) e, ctx);
      return;
    }
    if (e instanceof HttpResponseException) {
      write(fromStatus(((HttpResponseException) e).getStatus()), ctx);
      return;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BadMessageException) {
        int status = ((BadMessageException) t).getCode();
        write(status == 413 ? fromStatus(413) : new EnrollException(
            ProblemType.REQUEST_MALFORMED, "the request could not be read"), ctx);
        return;
      }
    }
    LOG.atError().setCause(e).addKeyValue("requestId", RequestIds.of(ctx))
        .addKeyValue("route", ctx.path().replaceAll("\\p{Cntrl}", "?"))
        .log("unexpected failure");
    write(new EnrollException(ProblemType.SERVER_ERROR,
        "the server could not complete the request; quote the instance when reporting it"),
        ctx);
  }

  /**
   * The problem for a status Javalin or Jetty raised itself.
   *
   * @param status the HTTP status
   * @return the problem
   */
  public static EnrollException fromStatus(int status) {
    switch (status) {
      case 404:
        return new EnrollException(ProblemType.NOT_FOUND, "no such resource");
      case 405:
        return new EnrollException(ProblemType.METHOD_NOT_ALLOWED,
            "this resource does not support the method");
      case 413:
        return new EnrollException(ProblemType.REQUEST_TOO_LARGE,
            "the request body exceeds " + Bodies.MAX_BYTES + " bytes");
      case 415:
        return new EnrollException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
            "send the body as application/json");
      case 400:
        return new EnrollException(ProblemType.REQUEST_MALFORMED, "the request is malformed");
      default:
        return new EnrollException(ProblemType.SERVER_ERROR,
            "the server could not complete the request");
    }
  }
}
