package dev.enroll.store;

import dev.enroll.testing.Postgres;

/** The store contract against a real PostgreSQL (the cluster {@code ./test} starts). */
class PostgresStoreIT extends StoreContract {
  @Override
  protected Store openStore() {
    return Postgres.freshStore("contract", 8);
  }
}
