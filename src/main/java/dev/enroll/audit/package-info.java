/** The audit log: one append-only record per decision or change. */
package dev.enroll.audit;
