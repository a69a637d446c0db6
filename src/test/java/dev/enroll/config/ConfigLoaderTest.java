package dev.enroll.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.enroll.profile.ProfileCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.enroll.attestation.AttestationMethods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  @TempDir Path directory;

  @Test
  void sampleHasTheDevicesProfileOfTheDefaultTenant() {
    EnrollConfig config = new ConfigLoader().loadSample();
    ProfileCatalog catalog = ProfileCatalog.compile(config, AttestationMethods.standard());
    assertThat(catalog.find("default", "devices")).isPresent();
    assertThat(catalog.find("default", "devices").get().validity()).hasHours(24);
  }

  @Test
  void valueOfTheWrongShapeSaysWhatWasExpected() throws Exception {
    Path file = write("server:\n  bind: [a, b]\n");
    assertThatThrownBy(() -> new ConfigLoader().load(file))
        .hasMessageContaining("server.bind: invalid value: expected a single value (line 2)")
        .hasMessageNotContaining("JsonToken");
  }

  @Test
  void unknownKeyStopsTheStartNamingFileAndKey() throws Exception {
    Path file = write("server:\n  bind: 127.0.0.1\n  colour: blue\n");
    assertThatThrownBy(() -> new ConfigLoader().load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("server.colour");
  }

  @Test
  void yamlSyntaxErrorNamesFileAndLine() throws Exception {
    Path file = write("server: {bind: 127.0.0.1\n\nca: x\n");
    assertThatThrownBy(() -> new ConfigLoader().load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("line");
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "certificate: {validity: forever}| tenants.default.profiles.devices.certificate.validity",
      "keyTypes: [RSA-1024]| tenants.default.profiles.devices.keyTypes",
      "attestation: [telepathy]| tenants.default.profiles.devices.attestation",
      "subjectKinds: [robot]| tenants.default.profiles.devices.subjectKinds",
      "certificate: {keyUsage: [everything]}| tenants.default.profiles.devices.certificate",
      "names: {ip: [10.0.0.0/99]}| tenants.default.profiles.devices.names.ip",
      "names: {subject: dns}| tenants.default.profiles.devices.names.subject",
  })
  void invalidProfileValueNamesItsKey(String profile, String key) throws Exception {
    Path file = write("tenants:\n  default:\n    profiles:\n      devices:\n        "
        + profile + "\n");
    EnrollConfig config = new ConfigLoader().load(file);
    assertThatThrownBy(() -> ProfileCatalog.compile(config, AttestationMethods.standard()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(key);
  }

  private Path write(String yaml) throws Exception {
    Path file = directory.resolve("enroll.yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
