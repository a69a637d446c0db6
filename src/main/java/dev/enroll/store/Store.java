package dev.enroll.store;

/**
 * Where Enroll keeps its records. Work runs in one transaction: everything it writes
 * commits together, audit events included, or nothing does.
 */
public interface Store extends AutoCloseable {

  /**
   * Runs work in one transaction, committing when it returns and rolling back when it
   * throws. Work that meets a transient conflict (a serialization failure or deadlock) is
   * run again, so it must have no effect outside the transaction.
   *
   * @param work the work
   * @param <T> its result type
   * @return its result
   * @throws StoreUnavailableException when the database cannot be reached
   */
  <T> T transact(Work<T> work);

  /** Whether the database answers a trivial query right now. */
  boolean ready();

  /** Closes the connection pool. */
  @Override
  void close();

  /**
   * Work inside one transaction.
   *
   * @param <T> its result type
   */
  @FunctionalInterface
  interface Work<T> {
    /**
     * Does the work.
     *
     * @param tx the transaction's repositories
     * @return a result
     */
    T run(Transaction tx);
  }
}
