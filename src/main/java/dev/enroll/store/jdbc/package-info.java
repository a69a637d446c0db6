/** The store on JDBC: H2 embedded or PostgreSQL, migrated by Flyway, pooled by HikariCP. */
package dev.enroll.store.jdbc;
