package dev.enroll.problem;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one exception root of Enroll: a refusal or failure that becomes a problem document.
 *
 * <p>The detail is written for the client and must never contain secrets or internal
 * causes. An internal cause may be attached for the log; it is never serialized.
 */
public class EnrollException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ProblemType type;
  private final transient Map<String, Object> extensions;

  /**
   * A problem with a client-facing detail.
   *
   * @param type the problem type
   * @param detail an explanation for the client, without secrets or internals
   */
  public EnrollException(ProblemType type, String detail) {
    this(type, detail, null);
  }

  /**
   * A problem with a client-facing detail and an internal cause for the log.
   *
   * @param type the problem type
   * @param detail an explanation for the client, without secrets or internals
   * @param cause the internal cause, logged and never sent; may be null
   */
  public EnrollException(ProblemType type, String detail, Throwable cause) {
    super(detail, cause);
    this.type = type;
    this.extensions = new LinkedHashMap<>();
  }

  /** The problem type. */
  public ProblemType type() {
    return type;
  }

  /** The client-facing detail. */
  public String detail() {
    return getMessage();
  }

  /**
   * Adds an extension member to the problem document (RFC 9457 section 3.2).
   *
   * @param name the member name
   * @param value a JSON-serializable value
   * @return this exception
   */
  public EnrollException with(String name, Object value) {
    extensions.put(name, value);
    return this;
  }

  /** Extension members, in insertion order. */
  public Map<String, Object> extensions() {
    return Collections.unmodifiableMap(extensions);
  }
}
