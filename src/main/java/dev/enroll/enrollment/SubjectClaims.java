package dev.enroll.enrollment;

import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import dev.enroll.profile.Profile;
import dev.enroll.subject.Subject;
import dev.enroll.subject.SubjectKind;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks the subject a request names before anything is looked up or signed. */
final class SubjectClaims {
  private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final int MAX_ATTRIBUTES = 32;
  private static final int MAX_VALUE = 256;
  private static final int MAX_TOTAL = 4096;
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\u2028\\u2029]");

  private SubjectClaims() {}

  static SubjectKind check(Profile profile, EnrollmentRequest.SubjectClaim subject) {
    if (subject == null) {
      throw malformed("the request needs a subject with kind and externalId");
    }
    SubjectKind kind = subject.kind() == null ? null : SubjectKind.parse(subject.kind());
    if (kind == null) {
      throw malformed("subject.kind must be one of user, device, workload, service");
    }
    if (!profile.subjectKinds().contains(kind)) {
      throw new EnrollException(ProblemType.SUBJECT_KIND_NOT_ALLOWED,
          "profile '" + profile.name() + "' does not enroll subjects of kind "
              + kind.wireName());
    }
    if (subject.externalId() == null
        || !Subject.EXTERNAL_ID.matcher(subject.externalId()).matches()) {
      throw malformed("subject.externalId must be 1 to 128 letters, digits or . _ : @ -,"
          + " starting with a letter or digit");
    }
    Map<String, String> attributes = subject.attributes();
    if (attributes.size() > MAX_ATTRIBUTES) {
      throw malformed("subject.attributes may hold at most " + MAX_ATTRIBUTES + " entries");
    }
    int total = 0;
    for (Map.Entry<String, String> attribute : attributes.entrySet()) {
      String name = attribute.getKey();
      String value = attribute.getValue();
      if (!ATTRIBUTE.matcher(name).matches() || value == null || value.length() > MAX_VALUE
          || CONTROL.matcher(value).find()) {
        throw malformed("subject.attributes: names are 1 to 64 letters, digits or _ . -;"
            + " values are strings of at most " + MAX_VALUE
            + " characters without control characters");
      }
      total += name.length() + value.length();
    }
    if (total > MAX_TOTAL) {
      throw malformed("subject.attributes may hold at most " + MAX_TOTAL
          + " characters in all");
    }
    return kind;
  }

  private static EnrollException malformed(String detail) {
    return new EnrollException(ProblemType.REQUEST_MALFORMED, detail);
  }
}
