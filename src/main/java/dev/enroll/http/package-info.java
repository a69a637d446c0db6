/**
 * The HTTP edge: REST endpoints, the plain port for CA certificates, health and metrics,
 * request ids, the access log and the one problem mapper.
 */
package dev.enroll.http;
