package dev.enroll.credential;

import java.util.List;

/** Issued credentials, used inside one store transaction. */
public interface CredentialRepository {

  /**
   * Stores a newly issued credential. A serial is unique across the store.
   *
   * @param credential the credential
   */
  void insert(Credential credential);

  /**
   * The credentials of a subject, newest first.
   *
   * @param subjectId the subject
   * @return its credentials
   */
  List<Credential> bySubject(String subjectId);
}
