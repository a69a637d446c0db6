package dev.enroll.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditDetailsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void detailsThatFitAreKeptAsTheyAre() {
    Map<String, Object> details = Map.of("profile", "devices", "roles", List.of("a", "b"));

    assertThat(AuditDetails.bounded(details)).isSameAs(details);
  }

  @Test
  void oversizedDetailsAreCutToFitAndMarked() throws Exception {
    List<String> roles = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      roles.add("role-" + i);
    }
    Map<String, Object> details = Map.of("jwt.jti", "j".repeat(11_000), "roles", roles,
        "profile", "devices");

    Map<String, Object> bounded = AuditDetails.bounded(details);

    assertThat(JSON.writeValueAsString(bounded).length())
        .isLessThanOrEqualTo(AuditDetails.MAX_JSON);
    assertThat(bounded).containsEntry("truncated", true).containsEntry("profile", "devices");
    assertThat((String) bounded.get("jwt.jti")).startsWith("jjjj").endsWith("...");
  }

  @Test
  void manyKeysAreCutToo() throws Exception {
    Map<String, Object> details = new java.util.HashMap<>();
    for (int i = 0; i < 5000; i++) {
      details.put("k" + i, "v".repeat(100));
    }

    assertThat(JSON.writeValueAsString(AuditDetails.bounded(details)).length())
        .isLessThanOrEqualTo(AuditDetails.MAX_JSON);
  }
}
