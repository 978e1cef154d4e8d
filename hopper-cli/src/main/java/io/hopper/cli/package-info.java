/**
 * The {@code hopper} command line: picocli commands named after MADlib's functions, each a thin layer over
 * {@link io.hopper.api.Hopper}.
 */
package io.hopper.cli;
