/**
 * Data preparation: sources (CSV, IDX, PostgreSQL), MADlib's training and validation preprocessors, the packed
 * buffer format and partition readers.
 */
package io.hopper.data;
