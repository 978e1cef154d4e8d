/**
 * Hopper: model selection with Model Hopper Parallelism. This package holds only {@link io.hopper.Version} and
 * {@link io.hopper.Echo} (input quoted in messages), which every layer uses;
 * start at {@link io.hopper.api.Hopper}.
 */
package io.hopper;
