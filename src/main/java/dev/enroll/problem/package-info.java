/**
 * The problem model: one exception root carrying a problem type that the HTTP layer turns
 * into an RFC 9457 problem document.
 */
package dev.enroll.problem;
