package dev.enroll.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code enroll approvals}: list, approve and deny enrollments waiting for a person. */
@Command(name = "approvals", mixinStandardHelpOptions = true,
    description = "Decide enrollments that wait for approval.",
    subcommands = {ApprovalsCommand.ListPending.class, ApprovalsCommand.Approve.class,
        ApprovalsCommand.Deny.class})
public final class ApprovalsCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** {@code enroll approvals list}. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List approval requests, one per line: id, profile, subject, requested"
          + " by, expiry.")
  static final class ListPending implements Callable<Integer> {
    @Option(names = "--state", defaultValue = "pending",
        description = "pending, approved, denied or expired (${DEFAULT-VALUE})")
    String state;

    @Option(names = "--tenant", description = "Only this tenant")
    String tenant;

    @Mixin
    AdminConnection connection;

    @Override
    public Integer call() throws Exception {
      String path = "/v1/approvals?state=" + encode(state)
          + (tenant == null ? "" : "&tenant=" + encode(tenant));
      HttpResponse<String> response = connection.client().get(path);
      JsonNode answer = JSON.readTree(response.body());
      if (response.statusCode() != 200) {
        return failed(answer, response);
      }
      for (JsonNode a : answer.path("approvals")) {
        System.out.println(a.path("id").asText() + "  " + a.path("tenant").asText() + "/"
            + a.path("profile").asText() + "  " + a.path("subject").path("externalId").asText()
            + "  by " + a.path("requestedBy").asText() + ("pending".equals(state)
                ? "  expires " + a.path("expiresAt").asText()
                : "  " + a.path("state").asText() + " by " + a.path("decidedBy").asText()
                    + " at " + a.path("decidedAt").asText()));
      }
      return 0;
    }
  }

  /** {@code enroll approvals approve ID}. */
  @Command(name = "approve", mixinStandardHelpOptions = true,
      description = "Approve an enrollment; its certificate is issued next.")
  static final class Approve implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "The enrollment's id")
    String id;

    @Option(names = "--reason", description = "A note for the audit log")
    String reason;

    @Mixin
    AdminConnection connection;

    @Override
    public Integer call() throws Exception {
      return decide(connection, id, "approve", reason);
    }
  }

  /** {@code enroll approvals deny ID --reason TEXT}. */
  @Command(name = "deny", mixinStandardHelpOptions = true,
      description = "Deny an enrollment; the client is told the reason.")
  static final class Deny implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "The enrollment's id")
    String id;

    @Option(names = "--reason", required = true, description = "Why, for the client and audit")
    String reason;

    @Mixin
    AdminConnection connection;

    @Override
    public Integer call() throws Exception {
      return decide(connection, id, "deny", reason);
    }
  }

  private static int decide(AdminConnection connection, String id, String verb,
      String reason) throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    if (reason != null) {
      body.put("reason", reason);
    }
    HttpResponse<String> response = connection.client().post("/v1/approvals/" + encode(id)
        + "/" + verb, JSON.writeValueAsString(body));
    JsonNode answer = JSON.readTree(response.body());
    if (response.statusCode() != 200) {
      return failed(answer, response);
    }
    System.out.println(answer.path("id").asText() + " " + answer.path("state").asText());
    return 0;
  }

  private static int failed(JsonNode answer, HttpResponse<String> response) {
    System.err.println("enroll: " + answer.path("title").asText("error") + ": "
        + answer.path("detail").asText(response.body()));
    return 1;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
