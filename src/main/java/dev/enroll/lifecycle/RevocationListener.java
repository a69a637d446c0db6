package dev.enroll.lifecycle;

import dev.enroll.credential.RevocationEvent;
import java.util.List;

/** Told after a revocation, hold or release commits, so that relying parties learn of it. */
@FunctionalInterface
public interface RevocationListener {
  /**
   * Credentials changed status.
   *
   * @param changes what changed (ids are not yet known; read the feed for them)
   * @param startedNanos {@link System#nanoTime()} when the operation was asked for
   */
  void changed(List<RevocationEvent> changes, long startedNanos);
}
