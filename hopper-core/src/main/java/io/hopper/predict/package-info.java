/**
 * Using trained models: MADlib's evaluate and predict over an output model table of fit-multiple-model, on worker
 * threads over partitions of the test data, and export of a chosen model to files another tool can load.
 */
package io.hopper.predict;
