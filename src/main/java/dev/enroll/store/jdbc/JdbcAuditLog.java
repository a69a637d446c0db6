package dev.enroll.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.enroll.audit.AuditEvent;
import dev.enroll.audit.AuditLog;
import dev.enroll.audit.ChainedEvent;
import dev.enroll.audit.Checkpoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Audit events in {@code audit_event}, written in the caller's transaction, and the chain's
 * checkpoints and keys. Also used read-only by the offline verifier.
 */
public final class JdbcAuditLog implements AuditLog {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  private static final String EVENT_COLUMNS = "id, event_time, tenant, actor, action, target,"
      + " outcome, reason, request_id, details";

  private final Connection connection;

  /**
   * The audit log of one connection's current transaction.
   *
   * @param connection the connection
   */
  public JdbcAuditLog(Connection connection) {
    this.connection = connection;
  }

  @Override
  public void append(AuditEvent e) {
    String sql = "insert into audit_event (event_time, tenant, actor, action, target, outcome,"
        + " reason, request_id, details) values (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      // Microseconds: what both databases keep, so the stored time is the hashed time.
      Rows.setInstant(insert, 1, e.time().truncatedTo(ChronoUnit.MICROS));
      insert.setString(2, e.tenant());
      insert.setString(3, e.actor());
      insert.setString(4, e.action());
      insert.setString(5, e.target());
      insert.setString(6, e.outcome());
      insert.setString(7, e.reason());
      insert.setString(8, e.requestId());
      insert.setString(9, JSON.writeValueAsString(new TreeMap<>(
          dev.enroll.audit.AuditDetails.bounded(e.details()))));
      insert.executeUpdate();
    } catch (SQLException ex) {
      throw new JdbcException(ex);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }

  @Override
  public List<Unchained> unchained(int limit) {
    String sql = "select " + EVENT_COLUMNS + " from audit_event where seq is null"
        + " order by id limit " + limit;
    try (PreparedStatement select = connection.prepareStatement(sql);
        ResultSet rows = select.executeQuery()) {
      List<Unchained> events = new ArrayList<>();
      while (rows.next()) {
        events.add(new Unchained(rows.getLong("id"), event(rows)));
      }
      return events;
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public long unchainedCount() {
    try (PreparedStatement select = connection.prepareStatement(
        "select count(*) from audit_event where seq is null");
        ResultSet rows = select.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public Optional<ChainedEvent> head() {
    String sql = "select " + EVENT_COLUMNS + ", seq, prev_hash, hash from audit_event"
        + " where seq = (select max(seq) from audit_event)";
    try (PreparedStatement select = connection.prepareStatement(sql);
        ResultSet rows = select.executeQuery()) {
      return rows.next() ? Optional.of(chained(rows)) : Optional.empty();
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public void chain(long rowId, long seq, String prevHash, String hash) {
    String sql = "update audit_event set seq = ?, prev_hash = ?, hash = ? where id = ?"
        + " and seq is null";
    try (PreparedStatement update = connection.prepareStatement(sql)) {
      update.setLong(1, seq);
      update.setString(2, prevHash);
      update.setString(3, hash);
      update.setLong(4, rowId);
      if (update.executeUpdate() != 1) {
        throw new IllegalStateException("audit event " + rowId + " was chained already");
      }
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public List<ChainedEvent> chained(long afterSeq, int limit) {
    String sql = "select " + EVENT_COLUMNS + ", seq, prev_hash, hash from audit_event"
        + " where seq > ? order by seq limit " + limit;
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      select.setLong(1, afterSeq);
      try (ResultSet rows = select.executeQuery()) {
        List<ChainedEvent> events = new ArrayList<>();
        while (rows.next()) {
          events.add(chained(rows));
        }
        return events;
      }
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public void addCheckpoint(Checkpoint c) {
    String sql = "insert into audit_checkpoint (seq, head_hash, checkpoint_time, key_id,"
        + " signature) values (?, ?, ?, ?, ?)";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setLong(1, c.seq());
      insert.setString(2, c.headHash());
      Rows.setInstant(insert, 3, c.time());
      insert.setString(4, c.keyId());
      insert.setString(5, c.signature());
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public List<Checkpoint> checkpoints(long afterSeq, int limit) {
    return checkpointsWhere("seq > ? order by seq limit " + limit, afterSeq);
  }

  private List<Checkpoint> checkpointsWhere(String condition, long value) {
    String sql = "select seq, head_hash, checkpoint_time, key_id, signature"
        + " from audit_checkpoint where " + condition;
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      if (condition.contains("?")) {
        select.setLong(1, value);
      }
      try (ResultSet rows = select.executeQuery()) {
        List<Checkpoint> checkpoints = new ArrayList<>();
        while (rows.next()) {
          checkpoints.add(new Checkpoint(rows.getLong("seq"), rows.getString("head_hash"),
              Rows.instant(rows, "checkpoint_time"), rows.getString("key_id"),
              rows.getString("signature")));
        }
        return checkpoints;
      }
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public Optional<Checkpoint> latestCheckpoint() {
    List<Checkpoint> found = checkpointsWhere("seq = (select max(seq) from audit_checkpoint)",
        0);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  @Override
  public void publishKey(String keyId, String publicKeyPem) {
    String sql = "insert into audit_key (id, public_key, created_at) values (?, ?, ?)"
        + " on conflict do nothing";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setString(1, keyId);
      insert.setString(2, publicKeyPem);
      Rows.setInstant(insert, 3, Instant.now());
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public List<String> publishedKeys() {
    try (PreparedStatement select = connection.prepareStatement(
        "select public_key from audit_key order by created_at, id");
        ResultSet rows = select.executeQuery()) {
      List<String> keys = new ArrayList<>();
      while (rows.next()) {
        keys.add(rows.getString(1));
      }
      return keys;
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  private static ChainedEvent chained(ResultSet rows) throws SQLException {
    return new ChainedEvent(rows.getLong("seq"), event(rows), rows.getString("prev_hash"),
        rows.getString("hash"));
  }

  private static AuditEvent event(ResultSet rows) throws SQLException {
    Map<String, Object> details;
    try {
      details = JSON.readValue(rows.getString("details"),
          new TypeReference<TreeMap<String, Object>>() { });
    } catch (JsonProcessingException e) {
      // A details column that is no longer JSON is tampering; keep the text for the hash.
      details = Map.of("unreadable", rows.getString("details"));
    }
    return new AuditEvent(Rows.instant(rows, "event_time"), rows.getString("tenant"),
        rows.getString("actor"), rows.getString("action"), rows.getString("target"),
        rows.getString("outcome"), rows.getString("reason"), rows.getString("request_id"),
        details);
  }
}
