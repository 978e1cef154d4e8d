package io.hopper.data;

import io.hopper.store.Store;

import java.util.List;

/** A source of raw rows that a preprocessor reads once, in order. */
interface SampleSource {

    /** How messages name the source, e.g. {@code csv:data/iris.csv}. */
    String describe();

    /** What a position counts: "line", "row" or "image". */
    String positionWord();

    /** The SQL type of Y number k to record as dependent_vartype, or null to infer it from the class values. */
    String dependentVartype(int k);

    /** Reads every row into the sink. */
    void read(SampleSink sink);

    /**
     * Opens the source a spec names.
     *
     * @param spec the source
     * @param store the store (for table and sql sources)
     * @param x the independent variable groups, each column names or one array column
     * @param y the dependent variables' columns
     */
    static SampleSource open(SourceSpec spec, Store store, List<List<String>> x, List<String> y) {
        if (spec instanceof SourceSpec.Csv csv) {
            return new CsvSource(csv, x, y);
        }
        if (spec instanceof SourceSpec.Idx idx) {
            return new IdxSource(idx, x, y);
        }
        if (spec instanceof SourceSpec.Table t) {
            return TableSource.of(t, store, x, y);
        }
        return TableSource.of((SourceSpec.Sql) spec, store, x, y);
    }
}
