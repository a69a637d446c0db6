package dev.enroll.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.enroll.subject.Subject;
import dev.enroll.subject.SubjectKind;
import dev.enroll.subject.SubjectQuery;
import dev.enroll.subject.SubjectRepository;
import dev.enroll.subject.SubjectState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Subjects in the {@code subject} table. */
final class JdbcSubjects implements SubjectRepository {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS =
      "id, tenant, kind, external_id, state, attributes, created_at";

  private final Connection connection;

  JdbcSubjects(Connection connection) {
    this.connection = connection;
  }

  @Override
  public Subject insertIfAbsent(Subject candidate, java.time.Instant telemetryDeadline) {
    String sql = "insert into subject (" + COLUMNS + ", updated_at, telemetry_deadline)"
        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setString(1, candidate.id());
      insert.setString(2, candidate.tenant());
      insert.setString(3, candidate.kind().wireName());
      insert.setString(4, candidate.externalId());
      insert.setString(5, candidate.state().wireName());
      insert.setString(6, JSON.writeValueAsString(candidate.attributes()));
      Rows.setInstant(insert, 7, candidate.createdAt());
      Rows.setInstant(insert, 8, candidate.createdAt());
      Rows.setInstant(insert, 9, telemetryDeadline);
      if (insert.executeUpdate() == 1) {
        return candidate;
      }
    } catch (SQLException e) {
      throw new JdbcException(e);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return byNaturalKey(candidate.tenant(), candidate.kind(), candidate.externalId())
        .orElseThrow(() -> new IllegalStateException("subject vanished after conflict"));
  }

  private Optional<Subject> byNaturalKey(String tenant, SubjectKind kind, String externalId) {
    String sql = "select " + COLUMNS + " from subject"
        + " where tenant = ? and kind = ? and external_id = ?";
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      select.setString(1, tenant);
      select.setString(2, kind.wireName());
      select.setString(3, externalId);
      return one(select);
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public Optional<Subject> findById(String tenant, String id) {
    String sql = "select " + COLUMNS + " from subject where id = ?"
        + (tenant == null ? "" : " and tenant = ?");
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      select.setString(1, id);
      if (tenant != null) {
        select.setString(2, tenant);
      }
      return one(select);
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public List<Subject> list(SubjectQuery query) {
    StringBuilder sql = new StringBuilder("select " + COLUMNS + " from subject where 1 = 1");
    List<String> values = new ArrayList<>();
    if (query.tenant() != null) {
      sql.append(" and tenant = ?");
      values.add(query.tenant());
    }
    if (query.kind() != null) {
      sql.append(" and kind = ?");
      values.add(query.kind().wireName());
    }
    if (query.state() != null) {
      sql.append(" and state = ?");
      values.add(query.state().wireName());
    }
    if (query.afterId() != null) {
      sql.append(" and id > ?");
      values.add(query.afterId());
    }
    if (query.silentAt() != null) {
      sql.append(" and state = 'active' and telemetry_deadline < ?");
    }
    sql.append(" order by id limit ").append(query.limit());
    try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
      for (int i = 0; i < values.size(); i++) {
        select.setString(i + 1, values.get(i));
      }
      if (query.silentAt() != null) {
        Rows.setInstant(select, values.size() + 1, query.silentAt());
      }
      List<Subject> subjects = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          subjects.add(map(rows));
        }
      }
      return subjects;
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  private static Optional<Subject> one(PreparedStatement select) throws SQLException {
    try (ResultSet rows = select.executeQuery()) {
      return rows.next() ? Optional.of(map(rows)) : Optional.empty();
    }
  }

  private static Subject map(ResultSet rows) throws SQLException {
    Map<String, String> attributes;
    try {
      attributes = JSON.readValue(rows.getString("attributes"),
          new TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("subject attributes do not parse", e);
    }
    return new Subject(rows.getString("id"), rows.getString("tenant"),
        SubjectKind.parse(rows.getString("kind")), rows.getString("external_id"),
        SubjectState.parse(rows.getString("state")), attributes,
        Rows.instant(rows, "created_at"));
  }

  @Override
  public boolean changeState(String id, SubjectState from, SubjectState to,
      java.time.Instant at) {
    String sql = "update subject set state = ?, updated_at = ? where id = ? and state = ?";
    try (PreparedStatement update = connection.prepareStatement(sql)) {
      update.setString(1, to.wireName());
      Rows.setInstant(update, 2, at);
      update.setString(3, id);
      update.setString(4, from.wireName());
      return update.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public void heartbeat(String id, java.time.Instant at, java.time.Instant deadline) {
    String sql = "update subject set last_heartbeat_at = ?, telemetry_deadline = ?"
        + " where id = ?";
    try (PreparedStatement update = connection.prepareStatement(sql)) {
      Rows.setInstant(update, 1, at);
      Rows.setInstant(update, 2, deadline);
      update.setString(3, id);
      update.executeUpdate();
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public Map<String, Map<SubjectState, Long>> countByState() {
    Map<String, Map<SubjectState, Long>> counts = new java.util.TreeMap<>();
    try (PreparedStatement select = connection.prepareStatement(
        "select tenant, state, count(*) from subject group by tenant, state");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        counts.computeIfAbsent(rows.getString(1), t -> new java.util.EnumMap<>(
            SubjectState.class)).put(SubjectState.parse(rows.getString(2)), rows.getLong(3));
      }
      return counts;
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public Map<String, Long> reportingByTenant(java.time.Instant now) {
    Map<String, Long> counts = new java.util.TreeMap<>();
    try (PreparedStatement select = connection.prepareStatement("select tenant, count(*)"
        + " from subject where state = 'active' and last_heartbeat_at is not null"
        + " and telemetry_deadline >= ? group by tenant")) {
      Rows.setInstant(select, 1, now);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          counts.put(rows.getString(1), rows.getLong(2));
        }
      }
      return counts;
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public boolean lockActive(String id, java.time.Instant at) {
    String sql = "update subject set updated_at = ? where id = ? and state = 'active'";
    try (PreparedStatement update = connection.prepareStatement(sql)) {
      Rows.setInstant(update, 1, at);
      update.setString(2, id);
      return update.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public List<String> offboardedBefore(java.time.Instant before, int limit) {
    String sql = "select id from subject where state = 'offboarded' and purged_at is null"
        + " and updated_at < ? order by updated_at limit ?";
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      Rows.setInstant(select, 1, before);
      select.setInt(2, limit);
      List<String> ids = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          ids.add(rows.getString(1));
        }
      }
      return ids;
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public void purgeAttributes(String id, java.time.Instant at) {
    String sql = "update subject set attributes = '{}', purged_at = ? where id = ?";
    try (PreparedStatement update = connection.prepareStatement(sql)) {
      Rows.setInstant(update, 1, at);
      update.setString(2, id);
      update.executeUpdate();
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }
}
