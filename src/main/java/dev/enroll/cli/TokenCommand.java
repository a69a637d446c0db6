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

/** {@code enroll token create}: asks the running server for a join token and prints it. */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = "Manage join tokens.", subcommands = TokenCommand.Create.class)
public final class TokenCommand implements Runnable {

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** {@code enroll token create}. */
  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a join token and print it once on standard output.")
  static final class Create implements Callable<Integer> {
    @Option(names = "--profile", required = true, description = "Profile the token enrolls into")
    String profile;

    @Option(names = "--tenant", defaultValue = "default", description = "Tenant (${DEFAULT-VALUE})")
    String tenant;

    @Option(names = "--external-id",
        description = "Bind the token to one subject; needed to enroll a subject again")
    String externalId;

    @Option(names = "--uses", defaultValue = "1",
        description = "Enrollments allowed (${DEFAULT-VALUE})")
    int uses;

    @Option(names = "--ttl", defaultValue = "1h",
        description = "Lifetime, such as 30m or 7d (${DEFAULT-VALUE})")
    String ttl;

    @Mixin
    AdminConnection connection;

    @Override
    public Integer call() throws Exception {
      AdminClient client = connection.client();
      ObjectMapper json = new ObjectMapper();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("tenant", tenant);
      body.put("profile", profile);
      if (externalId != null) {
        body.put("externalId", externalId);
      }
      body.put("uses", uses);
      body.put("ttl", ttl);
      HttpResponse<String> response = client.post("/v1/tokens", json.writeValueAsString(body));
      JsonNode answer = json.readTree(response.body());
      if (response.statusCode() != 201) {
        System.err.println("enroll: " + answer.path("title").asText("error") + ": "
            + answer.path("detail").asText(response.body()));
        return 1;
      }
      System.out.println(answer.get("token").asText());
      System.err.println("token " + answer.get("id").asText() + " for profile " + profile
          + ", " + uses + " use(s), expires " + answer.get("expiresAt").asText());
      return 0;
    }
  }
}
