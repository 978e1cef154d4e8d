/**
 * Tables: the {@link io.hopper.store.Store} interface with a directory implementation (the embedded default)
 * and a PostgreSQL implementation that keeps MADlib's table layouts. Everything that reads or writes a table
 * goes through here.
 */
package io.hopper.store;
