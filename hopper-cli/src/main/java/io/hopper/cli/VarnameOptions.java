package io.hopper.cli;

import picocli.CommandLine.Option;

import java.util.List;

/**
 * The Y and X options of the preprocess commands, as a picocli mixin: each repeatable, one --dependent-varname per
 * output and one --independent-varname group per input of the model (MADlib 1.20's y_0.., x_0..).
 */
final class VarnameOptions {
    @Option(names = "--dependent-varname", required = true, paramLabel = "Y",
            description = "The label column (label for idx sources); repeat it for a model with several outputs (y_0, y_1, ...).")
    List<String> dependentVarname;

    @Option(names = "--independent-varname", required = true, paramLabel = "X",
            description = "Numeric columns, comma-separated, or one numeric-array column (image for idx sources); repeat it for a "
                    + "model with several inputs, one group per input in the model's order (x_0, x_1, ...).")
    List<String> independentVarname;
}
