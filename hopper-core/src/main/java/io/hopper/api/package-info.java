/**
 * The Java API: {@link io.hopper.api.Hopper} and the spec and result records that the command line and the
 * Spark driver call.
 */
package io.hopper.api;
