/**
 * Benchmarks: main classes that print figures measured in the same process, with a baseline beside them.
 */
package io.hopper.bench;
