/**
 * Attestation: the small interface every method implements, and the registry by name. Each
 * method lives in its own sub-package.
 */
package dev.enroll.attestation;
