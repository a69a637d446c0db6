package dev.enroll.http;

import dev.enroll.problem.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own refusals (a request line, header or URI it cannot parse, before any route
 * runs) as problem documents instead of its HTML pages. They carry no request id: the
 * request never got far enough to have one.
 */
final class JettyProblems extends ErrorHandler {

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, Problems.MEDIA_TYPE);
    return ByteBuffer.wrap(body(status).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
      HttpServletResponse response, int code, String message) throws IOException {
    baseRequest.setHandled(true);
    response.setContentType(Problems.MEDIA_TYPE);
    response.getOutputStream().write(body(code).getBytes(StandardCharsets.UTF_8));
  }

  private static String body(int status) {
    ProblemType type = typeFor(status);
    return "{\"type\":\"" + type.uri() + "\",\"title\":\"" + type.title()
        + "\",\"status\":" + status + ",\"detail\":\"the server could not parse the request"
        + " (status " + status + ")\"}";
  }

  private static ProblemType typeFor(int status) {
    switch (status) {
      case 404:
        return ProblemType.NOT_FOUND;
      case 405:
        return ProblemType.METHOD_NOT_ALLOWED;
      case 413:
        return ProblemType.REQUEST_TOO_LARGE;
      case 414:
        return ProblemType.URI_TOO_LONG;
      case 431:
        return ProblemType.HEADERS_TOO_LARGE;
      default:
        return status >= 500 ? ProblemType.SERVER_ERROR : ProblemType.REQUEST_MALFORMED;
    }
  }
}
