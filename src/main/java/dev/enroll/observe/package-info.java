/** Observability: metrics behind small interfaces, and health. */
package dev.enroll.observe;
