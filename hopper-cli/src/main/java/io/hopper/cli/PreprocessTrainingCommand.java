package io.hopper.cli;

import io.hopper.data.PackedSummary;
import io.hopper.data.PackedTables;
import io.hopper.data.SourceSpec;
import io.hopper.data.TrainingPreprocessSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code hopper preprocess-training}: MADlib's training_preprocessor_dl.
 */
@Command(name = "preprocess-training", sortOptions = false,
        description = "Pack training rows into buffers dealt to partitions (MADlib's training_preprocessor_dl).")
final class PreprocessTrainingCommand implements Runnable {
    @ParentCommand
    HopperCli root;

    @Mixin
    CsvOptions csv;

    @Option(names = "--source", required = true, paramLabel = "SRC",
            description = "csv:PATH, idx:IMAGES,LABELS, table:NAME or sql:SELECT ... (PostgreSQL store).")
    String source;

    @Option(names = "--output-table", required = true, paramLabel = "T", description = "The packed table; T_summary is written beside it.")
    String outputTable;

    @Mixin
    VarnameOptions varnames;

    @Option(names = "--buffer-size", paramLabel = "N", description = "Rows per buffer (default: MADlib's rule).")
    Integer bufferSize;

    @Option(names = "--normalizing-const", paramLabel = "C", description = "X is divided by this (default: 1.0).")
    Double normalizingConst;

    @Option(names = "--num-classes", paramLabel = "K", description = "One-hot width (default: the number of distinct classes).")
    Integer numClasses;

    @Option(names = "--partitions", paramLabel = "P", description = "Number of partitions (default: the machine's cores).")
    Integer partitions;

    @Option(names = "--seed", paramLabel = "S", description = "Shuffle seed (default: ${DEFAULT-VALUE}).", defaultValue = "0")
    long seed;

    @Option(names = "--validation-fraction", paramLabel = "F",
            description = "Hold out this part of the rows (0 < F < 1, drawn with --seed) as a validation table packed in the same pass.")
    Double validationFraction;

    @Option(names = "--validation-output-table", paramLabel = "V",
            description = "The validation table of --validation-fraction, as preprocess-validation would pack it against T.")
    String validationOutputTable;

    @Override
    public void run() {
        if ((validationFraction == null) != (validationOutputTable == null)) {
            throw new IllegalArgumentException("--validation-fraction and --validation-output-table go together; give both"
                    + " (e.g. --validation-fraction 0.2 --validation-output-table " + (outputTable == null ? "T" : outputTable) + "_val) or neither");
        }
        TrainingPreprocessSpec.Builder b = TrainingPreprocessSpec.builder()
                .setSource(csv.apply(SourceSpec.parse(source)))
                .setOutputTable(outputTable)
                .setDependentVarnames(varnames.dependentVarname)
                .setIndependentVarnames(varnames.independentVarname)
                .optSeed(seed);
        if (bufferSize != null) {
            b.optBufferSize(bufferSize);
        }
        if (normalizingConst != null) {
            b.optNormalizingConst(normalizingConst);
        }
        if (numClasses != null) {
            b.optNumClasses(numClasses);
        }
        if (partitions != null) {
            b.optPartitions(partitions);
        }
        if (validationFraction != null) {
            b.optValidationSplit(validationFraction, validationOutputTable);
        }
        print(root, root.hopper().preprocessTraining(b.build()));
        if (validationOutputTable != null) {
            print(root, PackedTables.readSummary(root.hopper().store(), validationOutputTable));
        }
    }

    static void print(HopperCli root, PackedSummary s) {
        root.out().println("packed " + s.totalRows() + " rows into " + s.numBuffers() + " buffers of up to " + s.bufferSize()
                + " rows on " + s.partitions() + " partitions: " + s.outputTable() + " (summary " + s.outputTable() + "_summary)");
    }
}
