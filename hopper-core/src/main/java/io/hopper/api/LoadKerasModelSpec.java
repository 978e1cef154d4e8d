package io.hopper.api;

import io.hopper.store.TableNames;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Hopper#loadKerasModel} loads: an architecture JSON file into an architecture table, with optional
 * initial weights, name and description.
 *
 * @param modelArchTable the architecture table (created when missing)
 * @param modelArch the Keras {@code model.to_json()} file
 * @param modelWeights a file of float32 little-endian weights in Keras get_weights() order, if any
 * @param name a name, if any
 * @param description a description, if any
 */
public record LoadKerasModelSpec(String modelArchTable, Path modelArch, Optional<Path> modelWeights,
                                 Optional<String> name, Optional<String> description) {
    /** Validates. */
    public LoadKerasModelSpec {
        TableNames.requireTable(modelArchTable);
        Objects.requireNonNull(modelArch, "modelArch");
        Objects.requireNonNull(modelWeights, "modelWeights");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
    }

    /** A builder: setX for required fields, optX for optional ones. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link LoadKerasModelSpec}. */
    public static final class Builder {
        private String modelArchTable;
        private Path modelArch;
        private Path modelWeights;
        private String name;
        private String description;

        /** Required: the architecture table. */
        public Builder setModelArchTable(String table) {
            this.modelArchTable = table;
            return this;
        }

        /** Required: the JSON file. */
        public Builder setModelArch(Path file) {
            this.modelArch = file;
            return this;
        }

        /** Optional: initial weights file. */
        public Builder optModelWeights(Path file) {
            this.modelWeights = file;
            return this;
        }

        /** Optional: a name. */
        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        /** Optional: a description. */
        public Builder optDescription(String description) {
            this.description = description;
            return this;
        }

        /** Builds and validates. */
        public LoadKerasModelSpec build() {
            if (modelArchTable == null || modelArch == null) {
                throw new IllegalArgumentException("load-keras-model needs --model-arch-table and --model-arch");
            }
            return new LoadKerasModelSpec(modelArchTable, modelArch, Optional.ofNullable(modelWeights),
                    Optional.ofNullable(name), Optional.ofNullable(description));
        }
    }
}
