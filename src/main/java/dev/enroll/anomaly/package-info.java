/**
 * Anomaly quarantine: per profile and source network, Enroll learns the normal enrollment
 * rate and flags a surge; the profile's action then applies until an admin clears it.
 */
package dev.enroll.anomaly;
