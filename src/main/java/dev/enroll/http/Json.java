package dev.enroll.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The JSON mapper of the HTTP API: ISO-8601 times, no nulls written. */
public final class Json {
  private Json() {}

  private static final ObjectMapper SHARED = mapper();

  /**
   * Writes a value as JSON text with the API's settings.
   *
   * @param value the value
   * @return the JSON
   */
  public static String write(Object value) {
    try {
      return SHARED.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new mapper configured for the API. */
  public static ObjectMapper mapper() {
    return JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        // A field of the wrong JSON type is refused, not coerced ("force": 1, "csr": 12).
        .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .withCoercionConfig(com.fasterxml.jackson.databind.type.LogicalType.Textual, text ->
            text.setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Integer,
                    com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
                .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Float,
                    com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
                .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Boolean,
                    com.fasterxml.jackson.databind.cfg.CoercionAction.Fail))
        .serializationInclusion(JsonInclude.Include.NON_NULL)
        .build();
  }
}
