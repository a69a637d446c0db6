/**
 * Approval by a person: enrollments a profile's policy holds for a decision, the admins who
 * approve or deny them (never the admin who created the request's token), and expiry.
 */
package dev.enroll.approval;
