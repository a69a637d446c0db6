/** Issued credentials and their status, independent of how they were made. */
package dev.enroll.credential;
