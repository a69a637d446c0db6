/** The subject catalog: who or what is enrolled, and the subject's state. */
package dev.enroll.subject;
