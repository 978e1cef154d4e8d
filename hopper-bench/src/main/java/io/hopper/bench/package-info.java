/**
 * Benchmarks: main classes that print figures as ratios against a baseline run in the same process or script.
 */
package io.hopper.bench;
