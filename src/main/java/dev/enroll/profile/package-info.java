/** Profiles: per-tenant enrollment templates and the names policy they apply. */
package dev.enroll.profile;
