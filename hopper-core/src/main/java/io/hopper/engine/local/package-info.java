/**
 * The embedded engine: one thread per worker in this JVM, each owning its partitions, its partition cache and one
 * model per configuration it has seen.
 */
package io.hopper.engine.local;
