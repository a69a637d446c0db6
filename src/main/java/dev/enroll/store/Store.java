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

  /**
   * Runs work like {@link #transact(Work)}, but may share one commit with other callers'
   * work (group commit): each work runs under its own savepoint, so one that throws changes
   * nothing and the others still commit. Returns only after the shared commit, so what it
   * wrote is as durable as with {@code transact}. Use it on the hot path, where many small
   * transactions would otherwise each pay for a commit.
   *
   * @param work the work; it may run on another thread, and run again alone after a
   *     failed shared commit
   * @param <T> its result type
   * @return its result
   * @throws StoreUnavailableException when the database cannot be reached
   */
  default <T> T transactGrouped(Work<T> work) {
    return transact(work);
  }

  /**
   * Calls a listener whenever a committed transaction announced a topic (see
   * {@link Transaction#announce(String)}), on this node or on any other node sharing the
   * store. It runs on a thread of the store's; a listener that must not miss a change
   * reads the store's state rather than trusting the count of calls, since announcements
   * in a burst may arrive as one, and after a lost connection every listener is called
   * once in case one was missed.
   *
   * @param topic the topic
   * @param listener what to run
   */
  void onAnnouncement(String topic, Runnable listener);

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
