package dev.enroll.enrollment;

import dev.enroll.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;

/** The same races as {@link ConcurrencyIT}, settled by a real PostgreSQL. */
class PostgresConcurrencyIT extends ConcurrencyIT {
  @BeforeAll
  static void start() {
    server = TestServer.startOnPostgres(directory);
  }
}
