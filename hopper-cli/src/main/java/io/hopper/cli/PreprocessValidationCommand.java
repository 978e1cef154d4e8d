package io.hopper.cli;

import io.hopper.data.SourceSpec;
import io.hopper.data.ValidationPreprocessSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code hopper preprocess-validation}: MADlib's validation_preprocessor_dl.
 */
@Command(name = "preprocess-validation", sortOptions = false,
        description = "Pack validation rows with a training table's class values and normalizing constant (MADlib's validation_preprocessor_dl).")
final class PreprocessValidationCommand implements Runnable {
    @ParentCommand
    HopperCli root;

    @Mixin
    CsvOptions csv;

    @Option(names = "--source", required = true, paramLabel = "SRC",
            description = "csv:PATH, idx:IMAGES,LABELS, table:NAME or sql:SELECT ... (PostgreSQL store).")
    String source;

    @Option(names = "--output-table", required = true, paramLabel = "T", description = "The packed validation table.")
    String outputTable;

    @Option(names = "--training-preprocessor-table", required = true, paramLabel = "TP", description = "The packed training table.")
    String trainingTable;

    @Mixin
    VarnameOptions varnames;

    @Option(names = "--buffer-size", paramLabel = "N", description = "Rows per buffer (default: MADlib's rule).")
    Integer bufferSize;

    @Override
    public void run() {
        ValidationPreprocessSpec.Builder b = ValidationPreprocessSpec.builder()
                .setSource(csv.apply(SourceSpec.parse(source)))
                .setOutputTable(outputTable)
                .setTrainingPreprocessorTable(trainingTable)
                .setDependentVarnames(varnames.dependentVarname)
                .setIndependentVarnames(varnames.independentVarname);
        if (bufferSize != null) {
            b.optBufferSize(bufferSize);
        }
        PreprocessTrainingCommand.print(root, root.hopper().preprocessValidation(b.build()));
    }
}
