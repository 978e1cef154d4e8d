package io.hopper.model.params;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * MADlib's load_model_selection_table as pure logic: the cross product of model ids, compile_params strings and
 * fit_params strings, de-duplicated by parsed settings, in canonical form; the caller writes the table.
 */
public final class ModelSelection {
    private static final String FUNCTION = "load_model_selection_table";

    private ModelSelection() {
    }

    /**
     * Builds the rows of a model selection table. Model ids are de-duplicated and taken in ascending order (as
     * MADlib does); compile and fit strings are de-duplicated by their parsed settings, keeping the list position
     * of the first string with each setting. Rows are ordered by model id, then compile position, then fit
     * position, and numbered from mst_key 1.
     *
     * @param knownModelIds the ids present in the model architecture table
     * @param modelIds the requested model ids (MADlib's model_id_list)
     * @param compileParamsList compile_params strings (MADlib's compile_params_list)
     * @param fitParamsList fit_params strings (MADlib's fit_params_list)
     * @throws IllegalArgumentException for an empty list, an unknown model id or an invalid string (named by its
     *     position, from 1)
     */
    public static List<MstEntry> load(Set<Integer> knownModelIds, List<Integer> modelIds, List<String> compileParamsList,
                                      List<String> fitParamsList) {
        List<Integer> ids = checkModelIds(FUNCTION, knownModelIds, modelIds);
        List<String> compiles = canonicalSet(compileParamsList, "compile_params_list",
                text -> ParamParser.parseCompile(text).canonical(), "a string such as \"loss='mse', optimizer='SGD'\"");
        List<String> fits = canonicalSet(fitParamsList, "fit_params_list",
                text -> ParamParser.parseFit(text).canonical(), "a string such as \"batch_size=32, epochs=1\"");
        List<MstEntry> rows = new ArrayList<>();
        for (int id : ids) {
            for (String compile : compiles) {
                for (String fit : fits) {
                    rows.add(new MstEntry(rows.size() + 1, id, compile, fit));
                }
            }
        }
        return List.copyOf(rows);
    }

    /** The requested model ids, checked against the known ones, distinct and ascending. */
    static List<Integer> checkModelIds(String function, Set<Integer> knownModelIds, List<Integer> modelIds) {
        Objects.requireNonNull(knownModelIds, "knownModelIds");
        TreeSet<Integer> ids = new TreeSet<>();
        for (Integer id : nonEmpty(function, modelIds, "model_id_list", "a model id, e.g. ARRAY[1]")) {
            if (id == null || !knownModelIds.contains(id)) {
                throw new IllegalArgumentException(function + ": model id " + id + " is not in the model architecture table;"
                        + " use one of " + new TreeSet<>(knownModelIds));
            }
            ids.add(id);
        }
        return List.copyOf(ids);
    }

    /** Rows numbered from mst_key 1 in the given order, each distinct row once (the first time it appears). */
    static List<MstEntry> numberDistinct(List<MstEntry> rows) {
        Set<MstEntry> distinct = new LinkedHashSet<>();
        for (MstEntry row : rows) {
            distinct.add(new MstEntry(1, row.modelId(), row.compileParams(), row.fitParams()));
        }
        List<MstEntry> numbered = new ArrayList<>();
        for (MstEntry row : distinct) {
            numbered.add(new MstEntry(numbered.size() + 1, row.modelId(), row.compileParams(), row.fitParams()));
        }
        return List.copyOf(numbered);
    }

    /** The distinct canonical strings of a list, in order of first appearance. */
    private static List<String> canonicalSet(List<String> texts, String listName, Function<String, String> canonical,
                                             String example) {
        Set<String> distinct = new LinkedHashSet<>();
        List<String> given = nonEmpty(FUNCTION, texts, listName, example);
        for (int i = 0; i < given.size(); i++) {
            try {
                distinct.add(canonical.apply(given.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(FUNCTION + ": " + listName + " entry " + (i + 1) + " of " + given.size()
                        + " is invalid: " + e.getMessage(), e);
            }
        }
        return List.copyOf(distinct);
    }

    private static <T> List<T> nonEmpty(String function, List<T> list, String listName, String example) {
        if (list == null || list.isEmpty()) {
            throw new IllegalArgumentException(function + ": " + listName + " is empty; give at least one entry, " + example);
        }
        return list;
    }
}
