/**
 * MADlib's compile_params and fit_params: a grammar (never an evaluator) into typed records.
 */
package io.hopper.model.params;
