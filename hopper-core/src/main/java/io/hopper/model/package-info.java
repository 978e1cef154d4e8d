/**
 * The model runtime: Keras architectures built as DJL blocks, MADlib's parameter grammar, exportable optimizers
 * and the portable model state that travels between workers.
 */
package io.hopper.model;
