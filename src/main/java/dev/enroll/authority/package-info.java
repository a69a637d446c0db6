/**
 * The certificate authority: checking certificate requests, building and signing
 * certificates, the CA's keys at rest, and the server's own TLS certificate.
 */
package dev.enroll.authority;
