package dev.enroll.credential;

import java.util.List;

/** The revocation feed: every revocation, hold and release, in order. */
public interface RevocationFeedRepository {

  /**
   * Appends an entry in the current transaction.
   *
   * @param event the entry (its id is assigned by the store)
   */
  void append(RevocationEvent event);

  /**
   * Entries after a cursor.
   *
   * @param afterId the cursor
   * @param limit the most to return
   * @return the entries in order
   */
  List<RevocationEvent> after(long afterId, int limit);

  /** The newest entry's id, or 0. */
  long latestId();
}
