/**
 * MADlib's compile_params and fit_params: a grammar (never an evaluator) into typed records.
 *
 * <p>{@link io.hopper.model.params.ParamParser} reads a parameter string with a hand-written tokenizer and a
 * recursive-descent parser of Python literal syntax (numbers such as 32, -0.5 and 1e-3, True/False/None, strings
 * in ' or ", bare names, lists, tuples, dicts and calls Name(k=v, ...)), then checks keys, types and ranges and
 * builds {@link io.hopper.model.params.CompileParams} / {@link io.hopper.model.params.FitParams} with Keras 2's
 * defaults filled in. {@link io.hopper.model.params.ModelSelection} is load_model_selection_table and
 * {@link io.hopper.model.params.ConfigGrid} is generate_model_configs, both as pure logic returning
 * {@link io.hopper.model.params.MstEntry} rows.
 *
 * <p>Sameness: two strings are the same configuration exactly when they parse to equal records. Whitespace,
 * quoting, key order, repeated keys (the last wins), optimizer-name case, lr vs learning_rate, loss and metric
 * aliases (mse/mean_squared_error, mae/mean_absolute_error, kld/kullback_leibler_divergence, acc/accuracy),
 * a setting written at its default vs left out, and absent vs None vs empty optional lists and dicts do not
 * matter. Numbers are compared as doubles (0.001, 1e-3 and .0010 are the same; -0.0 is read as 0.0).
 *
 * <p>Canonical form ({@code canonical()} on the records): keys sorted; names canonical (the first Keras name of
 * each enum constant; optimizer as SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, Nadam); every optimizer
 * setting and every scalar fit setting written explicitly (defaults included), optional lists, dicts and None
 * values left out; floats written as Python's repr writes them (shortest round-trip digits: 0.001, 1e-07, 1.0),
 * integers as integers, strings in single quotes, pairs joined by ", ". Canonical strings are valid MADlib
 * strings, parse back to equal records, and are equal exactly when the records are.
 */
package io.hopper.model.params;
