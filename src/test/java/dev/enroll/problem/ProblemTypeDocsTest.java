package dev.enroll.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProblemTypeDocsTest {
  @Test
  void everyProblemTypeIsExplainedWithItsStatusInTheDocs() throws Exception {
    String docs = Files.readString(Path.of("docs", "problems.md"));

    for (ProblemType type : ProblemType.values()) {
      assertThat(docs).as(type.slug())
          .contains("| `" + type.slug() + "` | " + type.status() + " |");
    }
  }
}
