package io.hopper.cli;

import io.hopper.data.CsvDialect;
import io.hopper.data.SourceSpec;
import picocli.CommandLine.Option;

/** The CSV dialect options of the commands that read {@code csv:PATH} sources, as a picocli mixin. */
final class CsvOptions {
    @Option(names = "--csv-delimiter", paramLabel = "C", description = "The field delimiter of csv: sources: one character, or \\t for a tab (default: ,).")
    String delimiter;

    @Option(names = "--null-string", paramLabel = "TEXT", description = "A field of csv: sources equal to TEXT is a missing value, as an empty field is (e.g. NA).")
    String nullString;

    /** The source read with these options (refused for a source that is not CSV when an option is given). */
    SourceSpec apply(SourceSpec source) {
        return source.withCsvDialect(CsvDialect.of(delimiter, nullString));
    }
}
