package dev.enroll.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code enroll admin-key create}: another admin API key, made by an owner key. */
@Command(name = "admin-key", mixinStandardHelpOptions = true,
    description = "Manage admin API keys.", subcommands = AdminKeyCommand.Create.class)
public final class AdminKeyCommand implements Runnable {

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** {@code enroll admin-key create}. */
  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create an admin key and print its secret once on standard output.")
  static final class Create implements Callable<Integer> {
    @Option(names = "--name", required = true, description = "A label for people")
    String name;

    @Option(names = "--role", defaultValue = "admin",
        description = "owner, admin, approver, operator or auditor (${DEFAULT-VALUE})")
    String role;

    @Option(names = "--tenant", description = "Scope the key to one tenant")
    String tenant;

    @Mixin
    AdminConnection connection;

    @Override
    public Integer call() throws Exception {
      ObjectMapper json = new ObjectMapper();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", name);
      body.put("role", role);
      if (tenant != null) {
        body.put("tenant", tenant);
      }
      HttpResponse<String> response = connection.client().post("/v1/admin-keys",
          json.writeValueAsString(body));
      JsonNode answer = json.readTree(response.body());
      if (response.statusCode() != 201) {
        System.err.println("enroll: " + answer.path("title").asText("error") + ": "
            + answer.path("detail").asText(response.body()));
        return 1;
      }
      System.err.println("admin key " + answer.path("id").asText() + " (" + role
          + "); the secret is shown once:");
      System.out.println(answer.path("key").asText());
      return 0;
    }
  }
}
