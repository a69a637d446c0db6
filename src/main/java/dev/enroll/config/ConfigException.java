package dev.enroll.config;

/**
 * A configuration value that is missing, unknown or wrong. The message names the file, the
 * key and what is wrong, so an operator can fix it without reading code.
 */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * A problem at one key.
   *
   * @param key the dotted path of the key, such as {@code tenants.default.profiles.devices}
   * @param problem what is wrong with it
   */
  public ConfigException(String key, String problem) {
    super(key + ": " + problem);
  }

  private ConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The same problem, prefixed with the file it was found in.
   *
   * @param source the file name, or a description of the built-in default
   * @return a new exception whose message starts with the source
   */
  public ConfigException in(String source) {
    return new ConfigException(source + ": " + getMessage(), this);
  }
}
