package dev.enroll.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code enroll} command: one sub-command per verb. */
@Command(
    name = "enroll",
    mixinStandardHelpOptions = true,
    version = "enroll 0.1.0",
    description = "Enrollment service: attest subjects, issue credentials, audit everything.",
    subcommands = {ServeCommand.class, TokenCommand.class, RevokeCommand.class,
        AuditCommand.class, BenchCommand.class, PolicyCommand.class,
        ApprovalsCommand.class, AdminKeyCommand.class})
public final class Main implements Runnable {

  /**
   * Runs the command line.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    int code = new CommandLine(new Main())
        .setExecutionExceptionHandler(Main::failed)
        .execute(args);
    if (code != 0 || !ServeCommand.serving()) {
      System.exit(code);
    }
  }

  /** A command that failed prints one line, not a stack trace; the cause is for debugging. */
  private static int failed(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
    String message = e.getMessage() != null ? e.getMessage() : e.toString();
    System.err.println(command.getCommandSpec().qualifiedName(" ") + ": " + message);
    if (System.getenv("ENROLL_DEBUG") != null) {
      e.printStackTrace();
    }
    return 1;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
