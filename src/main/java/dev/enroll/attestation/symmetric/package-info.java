/**
 * Attestation by a group key, as device registries do group enrollment: an enrollment group
 * holds one secret key; each device's key is HMAC-SHA256(group key, registration id), put on
 * the device at manufacture; the device proves it with an HMAC over a server nonce or over
 * a timestamped request.
 */
package dev.enroll.attestation.symmetric;
