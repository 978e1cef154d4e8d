/**
 * Benchmarks: programs (not tests) that print figures, with a baseline run by a companion script where one exists.
 */
package io.hopper.bench;
