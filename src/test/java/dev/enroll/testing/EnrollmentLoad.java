package dev.enroll.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Clients enrolling in a loop while a test breaks something (kills a node, stops the
 * database), keeping the serials of every enrollment answered {@code 201}; and the check
 * that each of those is in the store with its audit event. Bounded: each client stops
 * after its count or when told.
 */
public final class EnrollmentLoad {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Sends one enrollment body. */
  @FunctionalInterface
  public interface Sender {
    /**
     * Sends it.
     *
     * @param body the enrollment request
     * @return the answer
     * @throws Exception when no answer came
     */
    HttpResponse<String> send(String body) throws Exception;
  }

  private final Set<String> answered = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final ExecutorService pool;
  private final List<Future<?>> clients = new ArrayList<>();

  private EnrollmentLoad(int count) {
    this.pool = Executors.newFixedThreadPool(count);
  }

  /**
   * Starts clients.
   *
   * @param clients how many
   * @param perClient the most enrollments each sends
   * @param prefix external ids are PREFIX-CLIENT-N
   * @param token the join token
   * @param sender how a request is sent
   * @return the running load
   */
  public static EnrollmentLoad start(int clients, int perClient, String prefix, String token,
      Sender sender) {
    EnrollmentLoad load = new EnrollmentLoad(clients);
    for (int c = 0; c < clients; c++) {
      int n = c;
      load.clients.add(load.pool.submit(() -> {
        for (int i = 0; i < perClient && !load.stop.get(); i++) {
          String id = prefix + "-" + n + "-" + i;
          try {
            HttpResponse<String> r = sender.send(TestServer.enrollment("devices", id, token,
                Csrs.p256(id)));
            if (r.statusCode() == 201) {
              load.answered.add(JSON.readTree(r.body()).at("/credentials/0/serial")
                  .asText());
            }
          } catch (Exception unanswered) {
            // Cut off by the fault: not answered, so nothing is owed.
          }
        }
        return null;
      }));
    }
    return load;
  }

  /** The serials answered {@code 201} so far. */
  public Set<String> answered() {
    return answered;
  }

  /**
   * Waits until at least this many enrollments were answered.
   *
   * @param count how many
   */
  public void awaitAnswered(int count) {
    await().atMost(Duration.ofSeconds(60)).until(() -> answered.size() >= count);
  }

  /** Stops the clients and waits for them. */
  public void stop() throws Exception {
    stop.set(true);
    for (Future<?> f : clients) {
      f.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();
  }

  /**
   * Asserts that every answered enrollment's credential is stored with exactly one
   * issuance event, that no issuance event names a credential that does not exist, and
   * that no credential lacks its audit event.
   *
   * @param connection a connection to the store
   */
  public void assertStoredWithTheirEvents(Connection connection) throws SQLException {
    String sql = "select (select count(*) from credential where serial = ?), (select count(*)"
        + " from audit_event where action = 'enrollment.issued' and target = ?)";
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      for (String serial : answered) {
        select.setString(1, serial);
        select.setString(2, "credential:" + serial);
        try (ResultSet rs = select.executeQuery()) {
          rs.next();
          assertThat(rs.getLong(1)).as("credential %s answered 201", serial).isEqualTo(1);
          assertThat(rs.getLong(2)).as("issuance event of %s", serial).isEqualTo(1);
        }
      }
    }
    try (ResultSet rs = connection.createStatement().executeQuery("select count(*) from"
        + " audit_event a where a.action = 'enrollment.issued' and not exists (select 1 from"
        + " credential c where a.target = concat('credential:', c.serial))")) {
      rs.next();
      assertThat(rs.getLong(1)).as("issuance events naming no credential").isZero();
    }
    try (ResultSet rs = connection.createStatement().executeQuery("select count(*) from"
        + " credential c where not exists (select 1 from audit_event a where a.action in"
        + " ('enrollment.issued', 'credential.renewed') and a.target = concat('credential:',"
        + " c.serial))")) {
      rs.next();
      assertThat(rs.getLong(1)).as("credentials without their audit event").isZero();
    }
  }
}
