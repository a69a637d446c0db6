package dev.enroll.store.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers announced topics to listeners. On the embedded store (one process) right after
 * the announcing transaction commits; on PostgreSQL through {@code LISTEN/NOTIFY}, so that
 * every node sharing the database hears every node's announcements, its own included.
 */
final class Announcements implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Announcements.class);
  private static final String PREFIX = "enroll_";
  private static final int WAIT_MILLIS = 500;

  private final Map<String, List<Runnable>> listeners = new ConcurrentHashMap<>();
  private final String url;
  private final String user;
  private final String password;
  private volatile boolean open = true;
  private final java.util.Queue<String> fresh = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private volatile Connection listening;
  private Thread thread;

  /**
   * Announcements for a store.
   *
   * @param url the store's JDBC URL
   * @param user the user, or null
   * @param password the password, or null
   */
  Announcements(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /** Whether a connection is to PostgreSQL. */
  static boolean postgres(Connection connection) throws SQLException {
    return connection.getMetaData().getURL().startsWith("jdbc:postgresql:");
  }

  /** The NOTIFY channel of a topic. */
  static String channel(String topic) {
    return PREFIX + topic.replace('-', '_');
  }

  void listen(String topic, Runnable listener) {
    listeners.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(listener);
    if (url.startsWith("jdbc:postgresql:")) {
      fresh.add(topic);
      startListening();
    }
  }

  /** Delivers topics a committed embedded-store transaction announced. */
  void committed(Set<String> topics, boolean postgres) {
    if (!postgres) {
      topics.forEach(this::deliver);
    }
  }

  private synchronized void startListening() {
    if (thread != null) {
      return;
    }
    thread = new Thread(this::listenLoop, "enroll-announcements");
    thread.setDaemon(true);
    thread.start();
  }

  private void listenLoop() {
    while (open) {
      try (Connection connection = DriverManager.getConnection(url, user, password)) {
        connection.setAutoCommit(true);
        fresh.clear();
        try (Statement s = connection.createStatement()) {
          for (String topic : listeners.keySet()) {
            s.execute("listen " + channel(topic));
          }
        }
        listening = connection;
        // Something may have been announced while no connection listened.
        listeners.keySet().forEach(this::deliver);
        PGConnection pg = connection.unwrap(PGConnection.class);
        while (open) {
          for (String topic = fresh.poll(); topic != null; topic = fresh.poll()) {
            try (Statement s = connection.createStatement()) {
              s.execute("listen " + channel(topic));
            }
          }
          PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
          if (notifications == null) {
            continue;
          }
          Set<String> topics = new java.util.LinkedHashSet<>();
          for (PGNotification n : notifications) {
            topics.add(n.getName());
          }
          for (String topic : listeners.keySet()) {
            if (topics.contains(channel(topic))) {
              deliver(topic);
            }
          }
        }
      } catch (SQLException e) {
        listening = null;
        if (open) {
          LOG.atWarn().addKeyValue("error", e.getMessage())
              .log("announcement listener lost its connection; reconnecting");
          pause();
        }
      }
    }
  }

  private void deliver(String topic) {
    for (Runnable listener : listeners.getOrDefault(topic, List.of())) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        LOG.atWarn().setCause(e).addKeyValue("topic", topic).log("announcement listener failed");
      }
    }
  }

  private void pause() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    open = false;
    Connection connection = listening;
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.atDebug().setCause(e).log("closing the listening connection failed");
      }
    }
  }
}
