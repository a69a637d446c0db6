package dev.enroll.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Reads the YAML configuration strictly: an unknown key or a value of the wrong type stops
 * the start with a message naming the file and the key.
 */
public final class ConfigLoader {
  /** The name under which the bundled sample is reported in error messages. */
  public static final String SAMPLE = "enroll.sample.yaml (built in)";

  private final ObjectMapper yaml;

  /** A loader that refuses unknown keys. */
  public ConfigLoader() {
    this.yaml = new ObjectMapper(new YAMLFactory())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /**
   * Reads a configuration file.
   *
   * @param file the YAML file
   * @return the configuration
   * @throws ConfigException naming the file and key of the first problem
   */
  public EnrollConfig load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("(file)", "no such file").in(file.toString());
    }
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Reads the sample configuration bundled with Enroll, which applies without
   * {@code --config}.
   *
   * @return the sample configuration
   */
  public EnrollConfig loadSample() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/enroll.sample.yaml")) {
      if (in == null) {
        throw new IllegalStateException("the bundled sample configuration is missing");
      }
      return read(in, SAMPLE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a configuration from its text, as another node shared it.
   *
   * @param text the YAML
   * @param source what to call it in messages
   * @return the configuration
   * @throws ConfigException naming the key of the first problem
   */
  public EnrollConfig parse(String text, String source) {
    try (InputStream in = new java.io.ByteArrayInputStream(
        text.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
      return read(in, source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private EnrollConfig read(InputStream in, String source) throws IOException {
    try {
      EnrollConfig config = yaml.readValue(in, EnrollConfig.class);
      if (config == null) {
        throw new ConfigException("(file)", "the file is empty").in(source);
      }
      return config;
    } catch (UnrecognizedPropertyException e) {
      String known = e.getKnownPropertyIds().stream()
          .map(Object::toString).sorted().collect(Collectors.joining(", "));
      throw new ConfigException(path(e), "unknown key (known keys here: " + known + ")"
          + line(e)).in(source);
    } catch (MismatchedInputException e) {
      String expected = e.getTargetType() == null ? "another kind of value"
          : e.getTargetType().isAssignableFrom(java.util.List.class) ? "a list"
          : e.getTargetType() == String.class ? "a single value"
          : e.getTargetType().isPrimitive() || Number.class.isAssignableFrom(e.getTargetType())
              ? "a number" : "a mapping of keys";
      throw new ConfigException(path(e), "invalid value: expected " + expected + line(e))
          .in(source);
    } catch (JsonMappingException e) {
      throw new ConfigException(path(e), "invalid value" + line(e)).in(source);
    } catch (JsonProcessingException e) {
      throw new ConfigException("(file)", "not valid YAML" + line(e)).in(source);
    }
  }

  private static String line(JsonProcessingException e) {
    return e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
        : " (line " + e.getLocation().getLineNr() + ")";
  }

  private static String path(JsonMappingException e) {
    String joined = e.getPath().stream()
        .map(ref -> ref.getFieldName() != null
            ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
    return joined.isEmpty() ? "(top level)" : joined;
  }
}
