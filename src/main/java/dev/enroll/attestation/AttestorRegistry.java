package dev.enroll.attestation;

import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The attestation methods this server knows, by name. */
public final class AttestorRegistry {
  private final Map<String, Attestor> byMethod = new LinkedHashMap<>();

  /**
   * A registry of the given attestors.
   *
   * @param attestors the attestors; method names must be unique
   */
  public AttestorRegistry(List<Attestor> attestors) {
    for (Attestor attestor : attestors) {
      if (byMethod.putIfAbsent(attestor.method(), attestor) != null) {
        throw new IllegalArgumentException("two attestors for " + attestor.method());
      }
    }
  }

  /** The known method names. */
  public Set<String> methods() {
    return Collections.unmodifiableSet(byMethod.keySet());
  }

  /**
   * The attestor for a method a profile accepts.
   *
   * @param method the requested method
   * @param accepted the profile's methods
   * @return the attestor
   * @throws EnrollException {@code attestation-unsupported}
   */
  public Attestor forMethod(String method, List<String> accepted) {
    Attestor attestor = byMethod.get(method);
    if (attestor == null || !accepted.contains(method)) {
      throw new EnrollException(ProblemType.ATTESTATION_UNSUPPORTED,
          "this profile accepts attestation by " + String.join(", ", accepted))
          .with("acceptedMethods", accepted);
    }
    return attestor;
  }
}
