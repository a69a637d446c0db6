package dev.enroll.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code enroll revoke}: revokes a credential or all of a subject's through the admin API. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
    description = "Revoke a credential by serial, or every credential of a subject.")
public final class RevokeCommand implements Callable<Integer> {

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  /** What to revoke: one of the two. */
  static final class Target {
    @Option(names = "--serial", description = "Serial, as openssl x509 -serial prints it")
    String serial;

    @Option(names = "--subject", description = "Subject id: revoke all its credentials")
    String subject;
  }

  @Option(names = "--reason", defaultValue = "unspecified",
      description = "RFC 5280 reason, such as keyCompromise (${DEFAULT-VALUE})")
  String reason;

  @Option(names = "--force", description = "Record the revocation even if it expired")
  boolean force;

  @Mixin
  AdminConnection connection;

  @Override
  public Integer call() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("reason", reason);
    String path;
    if (target.serial != null) {
      body.put("force", force);
      path = "/v1/credentials/" + encode(target.serial) + "/revoke";
    } else {
      path = "/v1/subjects/" + encode(target.subject) + "/revoke";
    }
    HttpResponse<String> response = connection.client().post(path,
        json.writeValueAsString(body));
    JsonNode answer = json.readTree(response.body());
    if (response.statusCode() != 200) {
      System.err.println("enroll: " + answer.path("title").asText("error") + ": "
          + answer.path("detail").asText(response.body()));
      return 1;
    }
    if (target.serial != null) {
      System.out.println("revoked " + answer.path("serial").asText() + " ("
          + answer.path("reason").asText() + ") at " + answer.path("revokedAt").asText());
    } else {
      System.out.println("subject " + answer.path("id").asText() + " is "
          + answer.path("state").asText());
    }
    return 0;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
