package dev.enroll.attestation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Claims in the shapes the policy language takes: strings, longs, doubles, lists, maps. */
public final class Claims {
  private Claims() {}

  /**
   * Normalizes a claim map.
   *
   * @param claims claims as a JSON parser left them
   * @return the same claims with ints as longs, floats as doubles and dates as epoch seconds
   */
  public static Map<String, Object> normalize(Map<String, ?> claims) {
    Map<String, Object> normal = new LinkedHashMap<>();
    claims.forEach((name, value) -> {
      if (value != null) {
        normal.put(name, value(value));
      }
    });
    return normal;
  }

  private static Object value(Object value) {
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float) {
      return ((Float) value).doubleValue();
    }
    if (value instanceof java.math.BigInteger || value instanceof java.math.BigDecimal) {
      return ((Number) value).doubleValue();
    }
    if (value instanceof Date) {
      return ((Date) value).getTime() / 1000;
    }
    if (value instanceof Map) {
      @SuppressWarnings("unchecked")
      Map<String, ?> map = (Map<String, ?>) value;
      return normalize(map);
    }
    if (value instanceof Collection) {
      List<Object> list = new ArrayList<>();
      for (Object item : (Collection<?>) value) {
        if (item != null) {
          list.add(value(item));
        }
      }
      return list;
    }
    return value;
  }
}
