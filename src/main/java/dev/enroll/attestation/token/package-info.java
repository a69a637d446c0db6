/** Attestation by a one-time or counted join token created by an admin. */
package dev.enroll.attestation.token;
