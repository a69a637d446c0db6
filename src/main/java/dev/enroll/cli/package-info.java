/** The command line: one class per verb. */
package dev.enroll.cli;
