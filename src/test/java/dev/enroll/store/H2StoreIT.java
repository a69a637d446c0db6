package dev.enroll.store;

import dev.enroll.store.jdbc.JdbcStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The store contract against the embedded H2 database, as {@code enroll serve} uses it. */
class H2StoreIT extends StoreContract {
  @Override
  protected Store openStore() {
    try {
      return JdbcStore.embedded(Files.createTempDirectory("enroll-h2-contract"), 8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
