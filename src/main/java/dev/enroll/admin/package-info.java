/** Admins: API keys, their roles and tenant scopes, and authentication. */
package dev.enroll.admin;
