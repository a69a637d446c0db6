package dev.enroll.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import picocli.CommandLine.Option;

/** The options every verb that talks to a running server's admin API shares. */
final class AdminConnection {
  @Option(names = "--server", defaultValue = "https://localhost:8443",
      description = "Enroll's API (${DEFAULT-VALUE})")
  URI server;

  @Option(names = "--data", defaultValue = "./data",
      description = "Data directory holding ca/root.pem and admin.key (${DEFAULT-VALUE})")
  Path data;

  @Option(names = "--ca-file",
      description = "Root certificate to trust (default: DATA/ca/root.pem)")
  Path caFile;

  @Option(names = "--admin-key-file",
      description = "Admin API key file (default: ENROLL_ADMIN_KEY, else DATA/admin.key)")
  Path adminKeyFile;

  /** The root certificate to trust. */
  Path rootFile() {
    return caFile != null ? caFile : data.resolve("ca").resolve("root.pem");
  }

  /** A client that trusts only the server's root and sends the admin key. */
  AdminClient client() throws IOException, GeneralSecurityException {
    return new AdminClient(server, rootFile(), AdminClient.adminKey(adminKeyFile, data));
  }
}
