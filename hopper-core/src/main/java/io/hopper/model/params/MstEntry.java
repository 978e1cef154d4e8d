package io.hopper.model.params;

import java.util.Objects;

/**
 * One row of a model selection (mst) table: a model architecture with one compile_params and one fit_params
 * setting, both in canonical form ({@link CompileParams#canonical()}, {@link FitParams#canonical()}).
 *
 * @param mstKey the row's key, from 1
 * @param modelId the model architecture's id in the model_arch table
 * @param compileParams the canonical compile_params string
 * @param fitParams the canonical fit_params string
 */
public record MstEntry(int mstKey, int modelId, String compileParams, String fitParams) {
    /** Validates. */
    public MstEntry {
        if (mstKey < 1) {
            throw new IllegalArgumentException("mst_key=" + mstKey + " must be >= 1; number mst rows from 1");
        }
        Objects.requireNonNull(compileParams, "compileParams");
        Objects.requireNonNull(fitParams, "fitParams");
    }

    /** The compile settings, parsed. */
    public CompileParams parsedCompileParams() {
        return ParamParser.parseCompile(compileParams);
    }

    /** The fit settings, parsed. */
    public FitParams parsedFitParams() {
        return ParamParser.parseFit(fitParams);
    }
}
