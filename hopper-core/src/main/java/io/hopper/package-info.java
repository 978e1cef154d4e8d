/**
 * Hopper: model selection with Model Hopper Parallelism. This package holds only {@link io.hopper.Version};
 * start at {@link io.hopper.api.Hopper}.
 */
package io.hopper;
