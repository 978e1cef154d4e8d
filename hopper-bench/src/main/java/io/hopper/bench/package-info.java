/**
 * Benchmarks that print figures as ratios against a baseline computed in the same process.
 */
package io.hopper.bench;
