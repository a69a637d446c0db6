/** The process: wires configuration, CA, store, services and HTTP into one server. */
package dev.enroll.server;
