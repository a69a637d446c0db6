package dev.enroll.policy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.enroll.attestation.Claims;
import dev.enroll.config.DurationText;
import dev.enroll.profile.Profile;
import dev.enroll.profile.ProfileCatalog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recorded policy cases: claims and a subject with the decision expected, evaluated against
 * a configuration's profiles without a server, as {@code enroll policy test} does.
 */
public final class PolicyCases {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .findAndRegisterModules()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private PolicyCases() {}

  /**
   * A case file.
   *
   * @param cases the cases
   */
  public record CaseFile(List<Case> cases) {
    /** Fills in an empty list. */
    public CaseFile {
      cases = cases == null ? List.of() : List.copyOf(cases);
    }
  }

  /**
   * One recorded case.
   *
   * @param name what it shows
   * @param tenant the tenant (default {@code default})
   * @param profile the profile
   * @param method the attestation method (default the profile's first)
   * @param subject the subject: {@code kind}, {@code externalId}, {@code attributes}
   * @param claims the verified claims, as the attestor hands them to the policy
   * @param source the client's address
   * @param now the time of the request (default now)
   * @param expect the decision expected
   */
  public record Case(
      String name,
      String tenant,
      String profile,
      String method,
      SubjectCase subject,
      Map<String, Object> claims,
      String source,
      Instant now,
      Expected expect) {}

  /**
   * A case's subject.
   *
   * @param kind the kind (default {@code device})
   * @param externalId the external id
   * @param attributes its attributes
   */
  public record SubjectCase(String kind, String externalId, Map<String, String> attributes) {}

  /**
   * What a case expects; only the fields given are compared.
   *
   * @param decision {@code allow}, {@code approval}, {@code deny} or {@code error}
   * @param reason the refusal's reason
   * @param roles the roles
   * @param names names by type
   * @param validity the lifetime, such as {@code 1h}
   */
  public record Expected(
      String decision,
      String reason,
      List<String> roles,
      Map<String, List<String>> names,
      String validity) {}

  /**
   * One case's outcome.
   *
   * @param name the case
   * @param decision what the policy decided, or null when the case could not run
   * @param mismatches each difference from what was expected, as text
   */
  public record Result(String name, PolicyDecision decision, List<String> mismatches) {
    /** Whether the policy decided as expected. */
    public boolean passed() {
      return mismatches.isEmpty();
    }
  }

  /**
   * Reads a case file.
   *
   * @param file the YAML file
   * @return the cases
   * @throws IOException when it cannot be read or parsed
   */
  public static CaseFile read(Path file) throws IOException {
    return YAML.readValue(file.toFile(), CaseFile.class);
  }

  /**
   * Evaluates every case.
   *
   * @param catalog the profiles
   * @param cases the cases
   * @param metrics where decisions are counted
   * @return one result per case, in order
   */
  public static List<Result> evaluate(ProfileCatalog catalog, CaseFile cases,
      PolicyMetrics metrics) {
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < cases.cases().size(); i++) {
      Case c = cases.cases().get(i);
      String name = c.name() != null ? c.name() : "case " + (i + 1);
      results.add(evaluate(catalog, name, c, metrics));
    }
    return results;
  }

  private static Result evaluate(ProfileCatalog catalog, String name, Case c,
      PolicyMetrics metrics) {
    String tenant = c.tenant() != null ? c.tenant() : "default";
    Optional<Profile> found = c.profile() == null ? Optional.empty()
        : catalog.find(tenant, c.profile());
    if (found.isEmpty()) {
      return new Result(name, null, List.of("tenant '" + tenant + "' has no profile '"
          + c.profile() + "'"));
    }
    if (c.expect() == null || c.expect().decision() == null) {
      return new Result(name, null, List.of("the case expects no decision (expect.decision)"));
    }
    Profile profile = found.get();
    SubjectCase subject = c.subject() != null ? c.subject()
        : new SubjectCase(null, null, null);
    PolicyDecision decision = profile.policy().decide(PolicyInput.of(
        Claims.normalize(c.claims() == null ? Map.of() : c.claims()),
        subject.kind() != null ? subject.kind() : "device",
        subject.externalId() != null ? subject.externalId() : "",
        subject.attributes() != null ? subject.attributes() : Map.of(),
        tenant, profile.name(),
        c.method() != null ? c.method() : profile.attestation().get(0),
        c.source(), c.now() != null ? c.now() : Instant.now()));
    metrics.decided(tenant, profile.name(), decision.outcome());
    return new Result(name, decision, compare(c.expect(), decision));
  }

  private static List<String> compare(Expected expected, PolicyDecision actual) {
    List<String> mismatches = new ArrayList<>();
    differ(mismatches, "decision", expected.decision(), actual.outcome().wireName());
    if (expected.reason() != null) {
      differ(mismatches, "reason", expected.reason(), actual.reason());
    }
    if (expected.roles() != null) {
      differ(mismatches, "roles", expected.roles(), actual.roles());
    }
    if (expected.names() != null) {
      differ(mismatches, "names", expected.names(), actual.names());
    }
    if (expected.validity() != null) {
      Duration want = DurationText.parseOrNull(expected.validity());
      differ(mismatches, "validity", want == null ? expected.validity() : want,
          actual.validity());
    }
    return mismatches;
  }

  private static void differ(List<String> mismatches, String field, Object expected,
      Object actual) {
    if (!expected.equals(actual)) {
      mismatches.add(field + ": expected " + expected + ", got " + actual);
    }
  }
}
