/**
 * Policy: per-profile CEL expressions that decide, from the verified claims, whether a
 * subject enrolls, with which roles, names and lifetime, and whether a person must approve.
 * Expressions compile when the configuration loads and fail closed when they fail to run.
 */
package dev.enroll.policy;
