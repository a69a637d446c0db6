package dev.enroll.store.jdbc;

import dev.enroll.anomaly.Anomaly;
import dev.enroll.anomaly.AnomalyRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Flagged surges in {@code anomaly}. */
final class JdbcAnomalies implements AnomalyRepository {
  private static final String COLUMNS = "id, tenant, profile, network, action, detected_at,"
      + " baseline, observed, cleared_at, cleared_by";

  private final Connection connection;

  JdbcAnomalies(Connection connection) {
    this.connection = connection;
  }

  @Override
  public void insert(Anomaly a) {
    try (PreparedStatement insert = connection.prepareStatement("insert into anomaly ("
        + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, a.id());
      insert.setString(2, a.tenant());
      insert.setString(3, a.profile());
      insert.setString(4, a.network());
      insert.setString(5, a.action());
      Rows.setInstant(insert, 6, a.detectedAt());
      insert.setDouble(7, a.baseline());
      insert.setLong(8, a.observed());
      Rows.setInstant(insert, 9, a.clearedAt());
      insert.setString(10, a.clearedBy());
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public List<Anomaly> active(String tenant) {
    String sql = "select " + COLUMNS + " from anomaly where cleared_at is null"
        + (tenant == null ? "" : " and tenant = ?") + " order by detected_at, id";
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      if (tenant != null) {
        select.setString(1, tenant);
      }
      List<Anomaly> found = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          found.add(read(rows));
        }
      }
      return found;
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public Optional<Anomaly> find(String tenant, String id) {
    String sql = "select " + COLUMNS + " from anomaly where id = ?"
        + (tenant == null ? "" : " and tenant = ?");
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      select.setString(1, id);
      if (tenant != null) {
        select.setString(2, tenant);
      }
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(read(rows)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public int clear(Anomaly a, Instant at, String by) {
    try (PreparedStatement update = connection.prepareStatement("update anomaly set"
        + " cleared_at = ?, cleared_by = ? where tenant = ? and profile = ? and network = ?"
        + " and cleared_at is null")) {
      Rows.setInstant(update, 1, at);
      update.setString(2, by);
      update.setString(3, a.tenant());
      update.setString(4, a.profile());
      update.setString(5, a.network());
      return update.executeUpdate();
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  private static Anomaly read(ResultSet rows) throws SQLException {
    return new Anomaly(rows.getString("id"), rows.getString("tenant"),
        rows.getString("profile"), rows.getString("network"), rows.getString("action"),
        Rows.instant(rows, "detected_at"), rows.getDouble("baseline"),
        rows.getLong("observed"), Rows.instant(rows, "cleared_at"),
        rows.getString("cleared_by"));
  }
}
