/**
 * The store: one transaction boundary over the repositories that sit beside their domains.
 * Implementations live in sub-packages.
 */
package dev.enroll.store;
