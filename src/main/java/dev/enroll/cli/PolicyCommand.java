package dev.enroll.cli;

import dev.enroll.attestation.AttestationMethods;
import dev.enroll.config.ConfigException;
import dev.enroll.config.ConfigLoader;
import dev.enroll.config.EnrollConfig;
import dev.enroll.policy.PolicyCases;
import dev.enroll.policy.PolicyMetrics;
import dev.enroll.profile.ProfileCatalog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code enroll policy}: work with profiles' policies without a server. */
@Command(name = "policy", mixinStandardHelpOptions = true,
    description = "Test profiles' policies against recorded cases.",
    subcommands = {PolicyCommand.Test.class})
public final class PolicyCommand implements Runnable {

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** {@code enroll policy test --config FILE CASES.yaml}. */
  @Command(name = "test", mixinStandardHelpOptions = true,
      description = "Evaluate recorded cases; exit 0 when every decision is as expected,"
          + " 1 on a mismatch, 2 when the configuration or the cases cannot be read.")
  static final class Test implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "Enroll configuration file")
    Path config;

    @Parameters(paramLabel = "CASES", description = "YAML file of cases")
    Path cases;

    @Override
    public Integer call() {
      ProfileCatalog catalog;
      PolicyCases.CaseFile file;
      try {
        EnrollConfig loaded = new ConfigLoader().load(config);
        try {
          catalog = ProfileCatalog.compile(loaded, AttestationMethods.standard());
        } catch (ConfigException e) {
          throw e.in(config.toString());
        }
        file = PolicyCases.read(cases);
      } catch (ConfigException e) {
        System.err.println("enroll: " + e.getMessage());
        return 2;
      } catch (IOException e) {
        System.err.println("enroll: cannot read " + cases + ": " + e.getMessage());
        return 2;
      }
      List<PolicyCases.Result> results = PolicyCases.evaluate(catalog, file,
          PolicyMetrics.NONE);
      int failed = 0;
      for (PolicyCases.Result result : results) {
        if (result.passed()) {
          System.out.println("PASS " + result.name());
        } else {
          failed++;
          System.out.println("FAIL " + result.name());
          result.mismatches().forEach(m -> System.out.println("     " + m));
        }
      }
      System.out.println(results.size() + " cases: " + (results.size() - failed)
          + " passed, " + failed + " failed");
      return failed == 0 ? 0 : 1;
    }
  }
}
