package dev.enroll.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.Printable;
import dev.enroll.problem.ProblemType;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Locale;

/** Reads JSON request bodies: content type, size limit, then syntax. */
public final class Bodies {
  /** The largest request body accepted, in bytes. */
  public static final int MAX_BYTES = 64 * 1024;

  private final ObjectMapper json;

  /**
   * A reader using the API's mapper.
   *
   * @param json the mapper
   */
  public Bodies(ObjectMapper json) {
    this.json = json;
  }

  /**
   * Reads the body as a JSON object bound to a type.
   *
   * @param ctx the request
   * @param type the type to bind
   * @param <T> the type
   * @return the bound body
   * @throws EnrollException {@code unsupported-media-type}, {@code request-too-large} or
   *     {@code request-malformed}
   */
  public <T> T read(Context ctx, Class<T> type) {
    return read(ctx, type, null);
  }

  /**
   * Reads an optional body: no body at all (length 0, whatever the content type) gives the
   * default; any other body is read as {@link #read(Context, Class)} reads it.
   *
   * @param ctx the request
   * @param type the type to bind
   * @param absent what no body means
   * @param <T> the type
   * @return the bound body, or {@code absent}
   */
  public <T> T readOptional(Context ctx, Class<T> type, T absent) {
    if (ctx.contentLength() == 0 || (ctx.contentLength() < 0 && ctx.contentType() == null)) {
      return absent;
    }
    return read(ctx, type, absent);
  }

  private <T> T read(Context ctx, Class<T> type, T absent) {
    String contentType = ctx.contentType();
    String media = contentType == null ? "" : contentType.split(";", 2)[0].trim()
        .toLowerCase(Locale.ROOT);
    if (!media.equals("application/json")) {
      throw new EnrollException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
          "send the body as application/json"
              + (contentType == null ? "" : ", not " + clean(media)));
    }
    byte[] bytes = raw(ctx, MAX_BYTES);
    if (bytes.length == 0 && absent != null) {
      return absent;
    }
    JsonNode tree;
    try {
      tree = json.readTree(bytes);
    } catch (java.io.IOException e) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED,
          "the body is not valid JSON: " + location(e));
    }
    if (tree == null || !tree.isObject()) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED,
          "the body must be a JSON object");
    }
    try {
      return json.treeToValue(tree, type);
    } catch (JsonProcessingException e) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED,
          "the body does not have the expected shape: " + location(e));
    }
  }

  /**
   * Reads the body as bytes, whatever its type.
   *
   * @param ctx the request
   * @param maxBytes the largest body accepted
   * @return the body
   * @throws EnrollException {@code request-too-large} over the limit, {@code request-malformed}
   *     when the body cannot be read (a broken chunked encoding, a body cut short)
   */
  public static byte[] raw(Context ctx, int maxBytes) {
    if (ctx.contentLength() > maxBytes) {
      throw Problems.fromStatus(413);
    }
    byte[] bytes;
    try {
      bytes = ctx.bodyAsBytes();
    } catch (Exception e) {
      // Jetty throws an IOException that Javalin would take for a client abort: the
      // client's fault, not a 500.
      if (e instanceof HttpResponseException && ((HttpResponseException) e).getStatus() == 413) {
        throw Problems.fromStatus(413);
      }
      throw new EnrollException(ProblemType.REQUEST_MALFORMED,
          "the request body could not be read");
    }
    if (bytes.length > maxBytes) {
      throw Problems.fromStatus(413);
    }
    return bytes;
  }

  private static String location(java.io.IOException e) {
    if (e instanceof com.fasterxml.jackson.databind.JsonMappingException) {
      com.fasterxml.jackson.databind.JsonMappingException m =
          (com.fasterxml.jackson.databind.JsonMappingException) e;
      StringBuilder path = new StringBuilder();
      m.getPath().forEach(ref -> path.append(ref.getFieldName() != null
          ? (path.length() == 0 ? "" : ".") + ref.getFieldName() : "[" + ref.getIndex() + "]"));
      return path.length() == 0 ? "wrong type" : "wrong type at " + path;
    }
    if (e instanceof JsonProcessingException && ((JsonProcessingException) e).getLocation()
        != null) {
      return "syntax error at line " + ((JsonProcessingException) e).getLocation().getLineNr()
          + ", column " + ((JsonProcessingException) e).getLocation().getColumnNr();
    }
    return "syntax error";
  }

  private static String clean(String text) {
    return Printable.cut(text, 64);
  }
}
