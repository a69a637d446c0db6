/** The enrollment use case: orchestration, idempotency and request states. */
package dev.enroll.enrollment;
