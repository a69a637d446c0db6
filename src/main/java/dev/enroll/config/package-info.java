/** The configuration file: its shape, strict loading and error messages for operators. */
package dev.enroll.config;
