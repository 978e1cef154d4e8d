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
        Objects.requireNonNull(knownModelIds, "knownModelIds");
        TreeSet<Integer> ids = new TreeSet<>();
        for (Integer id : nonEmpty(modelIds, "model_id_list", "a model id, e.g. ARRAY[1]")) {
            if (id == null || !knownModelIds.contains(id)) {
                throw new IllegalArgumentException(FUNCTION + ": model id " + id + " is not in the model architecture table;"
                        + " use one of " + new TreeSet<>(knownModelIds));
            }
            ids.add(id);
        }
        List<String> compiles = canonicalSet(compileParamsList, "compile_params_list",
                text -> ParamParser.parseCompile(text).canonical(), "a string such as \"loss='mse', optimizer='SGD'\"");
        List<String> fits = canonicalSet(fitParamsList, "fit_params_list",
                text -> ParamParser.parseFit(text).canonical(), "a string such as \"batch_size=32, epochs=1\"");
        List<MstEntry> entries = new ArrayList<>();
        for (int id : ids) {
            for (String compile : compiles) {
                for (String fit : fits) {
                    entries.add(new MstEntry(entries.size() + 1, id, compile, fit));
                }
            }
        }
        return List.copyOf(entries);
    }

    /** The distinct canonical strings of a list, in order of first appearance. */
    private static List<String> canonicalSet(List<String> texts, String listName, Function<String, String> canonical,
                                             String example) {
        Set<String> distinct = new LinkedHashSet<>();
        List<String> given = nonEmpty(texts, listName, example);
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

    private static <T> List<T> nonEmpty(List<T> list, String listName, String example) {
        if (list == null || list.isEmpty()) {
            throw new IllegalArgumentException(FUNCTION + ": " + listName + " is empty; give at least one entry, " + example);
        }
        return list;
    }
}
