package dev.enroll.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code openssl} binary, run as a user would run it. A missing binary fails the
 * test: the tests install it ({@code ./test}), they never skip without it.
 */
public final class Openssl {
  private Openssl() {}

  /** What a finished program printed and returned. */
  public record Outcome(int exitCode, String output) {}

  /**
   * Runs {@code openssl} with the arguments in a directory.
   *
   * @param directory the working directory
   * @param args the arguments after {@code openssl}
   * @return exit code and merged output
   */
  public static Outcome run(Path directory, String... args) {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    return exec(directory, command);
  }

  /**
   * Runs any program and waits at most a minute for it.
   *
   * @param directory the working directory
   * @param command the program and its arguments
   */
  public static Outcome exec(Path directory, List<String> command) {
    try {
      Process process = new ProcessBuilder(command).directory(directory.toFile())
          .redirectErrorStream(true).start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(command.get(0) + " did not finish");
      }
      return new Outcome(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(command.get(0) + " could not run; ./test installs it",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Makes a key and a CSR with openssl.
   *
   * @param directory where {@code NAME.key} and {@code NAME.csr} are written
   * @param name the file stem
   * @param keyArgs {@code -newkey} value and options, such as {@code ec -pkeyopt ...}
   * @param subject the {@code -subj} value
   * @param san the subjectAltName value, or null
   * @return the CSR's PEM text
   */
  public static String csr(Path directory, String name, List<String> keyArgs, String subject,
      String san) {
    List<String> args = new ArrayList<>(List.of("req", "-new", "-nodes", "-newkey"));
    args.addAll(keyArgs);
    args.addAll(List.of("-keyout", name + ".key", "-out", name + ".csr", "-subj", subject));
    if (san != null) {
      args.addAll(List.of("-addext", "subjectAltName=" + san));
    }
    Outcome outcome = run(directory, args.toArray(String[]::new));
    if (outcome.exitCode() != 0) {
      throw new IllegalStateException("openssl req failed: " + outcome.output());
    }
    try {
      return Files.readString(directory.resolve(name + ".csr"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A P-256 key and CSR. */
  public static String p256(Path directory, String name, String subject, String san) {
    return csr(directory, name, List.of("ec", "-pkeyopt", "ec_paramgen_curve:P-256"),
        subject, san);
  }
}
