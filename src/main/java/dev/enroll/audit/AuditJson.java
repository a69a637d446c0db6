package dev.enroll.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The export format: one JSON object per line. An event line carries the event's fields
 * with {@code seq}, {@code prev} and {@code hash}; a checkpoint line carries
 * {@code "kind": "checkpoint"}. Read back, a line gives exactly what was hashed or signed.
 */
public final class AuditJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private AuditJson() {}

  /** An event as one line of JSON (without the newline). */
  public static String line(ChainedEvent e) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("seq", e.seq());
    fields.put("time", e.event().time().toString());
    fields.put("tenant", e.event().tenant());
    fields.put("actor", e.event().actor());
    fields.put("action", e.event().action());
    fields.put("target", e.event().target());
    fields.put("outcome", e.event().outcome());
    fields.put("reason", e.event().reason());
    fields.put("requestId", e.event().requestId());
    fields.put("details", new TreeMap<>(e.event().details()));
    fields.put("prev", e.prevHash());
    fields.put("hash", e.hash());
    return write(fields);
  }

  /** A checkpoint as one line of JSON (without the newline). */
  public static String line(Checkpoint c) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("kind", "checkpoint");
    fields.put("seq", c.seq());
    fields.put("headHash", c.headHash());
    fields.put("time", c.time().toString());
    fields.put("keyId", c.keyId());
    fields.put("signature", c.signature());
    return write(fields);
  }

  /**
   * Reads a line: a {@link ChainedEvent} or a {@link Checkpoint}.
   *
   * @param line one line of an export
   * @return the event or checkpoint
   * @throws IllegalArgumentException when the line is neither
   */
  public static Object parse(String line) {
    try {
      JsonNode node = JSON.readTree(line);
      if ("checkpoint".equals(node.path("kind").asText())) {
        return new Checkpoint(node.get("seq").asLong(), node.get("headHash").asText(),
            Instant.parse(node.get("time").asText()), node.get("keyId").asText(),
            node.get("signature").asText());
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> details = JSON.convertValue(node.get("details"), TreeMap.class);
      AuditEvent event = new AuditEvent(Instant.parse(node.get("time").asText()),
          text(node, "tenant"), text(node, "actor"), text(node, "action"),
          text(node, "target"), text(node, "outcome"), text(node, "reason"),
          text(node, "requestId"), details);
      return new ChainedEvent(node.get("seq").asLong(), event, text(node, "prev"),
          text(node, "hash"));
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException("not an audit export line", e);
    }
  }

  /**
   * Reads a checkpoint kept elsewhere: an export line or the JSON the API serves.
   *
   * @param json the checkpoint's JSON
   * @return the checkpoint
   */
  public static Checkpoint checkpoint(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      return new Checkpoint(node.get("seq").asLong(), node.get("headHash").asText(),
          Instant.parse(node.get("time").asText()), node.get("keyId").asText(),
          node.get("signature").asText());
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException("not a checkpoint", e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static String write(Map<String, Object> fields) {
    try {
      return JSON.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
