package dev.enroll.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps an audit event's details within the column that stores them (8192 characters of
 * JSON), whatever a client put in its evidence: long texts and lists are cut, and marked
 * so, before the event is chained. An event is never refused for its size.
 */
public final class AuditDetails {
  /** Room for the details' JSON, below the column's 8192. */
  public static final int MAX_JSON = 8000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int[][] STEPS = {{512, 32}, {128, 8}, {32, 2}};

  private AuditDetails() {}

  /**
   * The details, cut to fit when their JSON would not.
   *
   * @param details an event's details
   * @return the same map when it fits, else a cut copy marked {@code truncated}
   */
  public static Map<String, Object> bounded(Map<String, Object> details) {
    if (fits(details)) {
      return details;
    }
    for (int[] step : STEPS) {
      Map<String, Object> cut = cutMap(details, step[0], step[1]);
      cut.put("truncated", true);
      if (fits(cut)) {
        return cut;
      }
    }
    Map<String, Object> names = new TreeMap<>();
    names.put("truncated", true);
    names.put("keys", cutList(new ArrayList<>(new TreeMap<>(details).keySet()), 32, 64));
    return names;
  }

  private static boolean fits(Map<String, Object> details) {
    try {
      return JSON.writeValueAsString(details).length() <= MAX_JSON;
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  private static Map<String, Object> cutMap(Map<?, ?> map, int text, int items) {
    Map<String, Object> cut = new LinkedHashMap<>();
    int n = 0;
    for (Map.Entry<?, ?> entry : new TreeMap<Object, Object>(map).entrySet()) {
      if (n++ >= items * 4) {
        break;
      }
      cut.put(cutText(String.valueOf(entry.getKey()), 64), cutValue(entry.getValue(), text,
          items));
    }
    return cut;
  }

  private static Object cutValue(Object value, int text, int items) {
    if (value instanceof String) {
      return cutText((String) value, text);
    }
    if (value instanceof Map) {
      return cutMap((Map<?, ?>) value, text, items);
    }
    if (value instanceof Collection) {
      return cutList((Collection<?>) value, text, items);
    }
    return value;
  }

  private static List<Object> cutList(Collection<?> list, int text, int items) {
    List<Object> cut = new ArrayList<>();
    for (Object item : list) {
      if (cut.size() >= items) {
        cut.add("(" + (list.size() - items) + " more)");
        break;
      }
      cut.add(cutValue(item, text, items));
    }
    return cut;
  }

  private static String cutText(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "...";
  }
}
