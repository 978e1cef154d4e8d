package io.hopper.model.params;

import static io.hopper.model.params.ParamParserTest.assertRejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConfigGridTest {

    private static final Set<Integer> KNOWN = Set.of(1, 2);
    private static final String MADLIB_COMPILE = "{'loss': ['categorical_crossentropy'],"
            + " 'optimizer_params_list': [{'optimizer': ['Adam', 'SGD'], 'lr': [0.0001, 0.1]}], 'metrics': ['accuracy']}";
    private static final String MADLIB_FIT = "{'batch_size': [8, 32], 'epochs': [1]}";

    private static String compile(String text) {
        return ParamParser.parseCompile(text).canonical();
    }

    private static String fit(String text) {
        return ParamParser.parseFit(text).canonical();
    }

    @Test
    void gridSearchOfMadlibsExample() {
        List<MstEntry> rows = ConfigGrid.parse(MADLIB_COMPILE, MADLIB_FIT).gridSearch(KNOWN, List.of(2, 1));
        assertEquals(2 * 4 * 2, rows.size());
        List<String> compiles = List.of(
                compile("loss=categorical_crossentropy, optimizer=Adam(lr=0.0001), metrics=[accuracy]"),
                compile("loss=categorical_crossentropy, optimizer=Adam(lr=0.1), metrics=[accuracy]"),
                compile("loss=categorical_crossentropy, optimizer=SGD(lr=0.0001), metrics=[accuracy]"),
                compile("loss=categorical_crossentropy, optimizer=SGD(lr=0.1), metrics=[accuracy]"));
        List<String> fits = List.of(fit("batch_size=8, epochs=1"), fit("batch_size=32, epochs=1"));
        int key = 1;
        for (int id : List.of(1, 2)) {
            for (String c : compiles) {
                for (String f : fits) {
                    assertEquals(new MstEntry(key, id, c, f), rows.get(key - 1));
                    key++;
                }
            }
        }
    }

    @Test
    void gridSearchUnionsOptimizerDictsAndDropsDuplicates() {
        String grid = "{'optimizer_params_list': [{'optimizer': ['SGD'], 'momentum': [0.0, 0.9], 'nesterov': [False]},"
                + " {'optimizer': ['sgd', 'RMSprop']}], 'loss': ['mse', 'mean_squared_error']}";
        List<MstEntry> rows = ConfigGrid.parse(grid, "{}").gridSearch(KNOWN, List.of(1));
        // SGD(momentum=0) with nesterov=False equals bare 'sgd'; mse equals mean_squared_error.
        assertEquals(List.of(compile("loss=mse, optimizer=SGD"), compile("loss=mse, optimizer=SGD(momentum=0.9)"),
                compile("loss=mse, optimizer=RMSprop")), rows.stream().map(MstEntry::compileParams).toList());
        assertTrue(rows.stream().allMatch(r -> r.fitParams().equals(FitParams.defaults().canonical())));
    }

    @Test
    void gridSearchWithTopLevelOptimizerAndFitLists() {
        List<MstEntry> rows = ConfigGrid.parse("{\"optimizer\": [\"Adagrad\"], \"loss\": [\"mae\"], \"metrics\": [[\"mse\"]]}",
                "{'shuffle': [True, False], 'class_weight': [{0: 1, 1: 5}]}").gridSearch(KNOWN, List.of(2));
        assertEquals(2, rows.size());
        assertEquals(compile("optimizer=Adagrad, loss=mae, metrics=[mse]"), rows.get(0).compileParams());
        assertEquals(fit("shuffle=True, class_weight={0: 1, 1: 5}"), rows.get(0).fitParams());
        assertEquals(fit("shuffle=False, class_weight={0: 1, 1: 5}"), rows.get(1).fitParams());
    }

    @Test
    void randomSearchIsReproducibleFromItsSeed() {
        ConfigGrid grid = ConfigGrid.parse("{'loss': ['categorical_crossentropy'], 'optimizer_params_list': ["
                + "{'optimizer': ['Adam'], 'lr': [0.0001, 0.1, 'log'], 'beta_1': [0.5, 0.99, 'log_near_one']},"
                + "{'optimizer': ['SGD'], 'lr': [0.001, 0.1, 'linear'], 'momentum': [0.5, 0.9]}], 'metrics': ['accuracy']}",
                "{'batch_size': [8, 16, 32], 'epochs': [1, 2]}");
        List<MstEntry> first = grid.randomSearch(KNOWN, List.of(1, 2), 30, 7L);
        assertEquals(first, grid.randomSearch(KNOWN, List.of(2, 1), 30, 7L));
        assertNotEquals(first, grid.randomSearch(KNOWN, List.of(1, 2), 30, 8L));
        assertEquals(30, first.size());
        assertEquals(Set.of(1, 2), first.stream().map(MstEntry::modelId).collect(Collectors.toSet()));
        for (MstEntry row : first) {
            OptimizerSpec opt = row.parsedCompileParams().optimizer();
            if (opt instanceof OptimizerSpec.Adam adam) {
                assertTrue(adam.learningRate() >= 0.0001 && adam.learningRate() <= 0.1, row.compileParams());
                assertTrue(adam.beta1() >= 0.5 && adam.beta1() <= 0.99, row.compileParams());
            } else {
                OptimizerSpec.Sgd sgd = (OptimizerSpec.Sgd) opt;
                assertTrue(sgd.learningRate() >= 0.001 && sgd.learningRate() <= 0.1, row.compileParams());
                assertTrue(sgd.momentum() == 0.5 || sgd.momentum() == 0.9, row.compileParams());
            }
            assertTrue(Set.of(8, 16, 32).contains(row.parsedFitParams().batchSize()));
        }
    }

    @Test
    void logDistributionSpreadsOverDecades() {
        ConfigGrid grid = ConfigGrid.parse("{'loss': ['mse'], 'optimizer_params_list': [{'optimizer': ['SGD'],"
                + " 'lr': [0.0001, 1.0, 'log']}]}", "{}");
        List<MstEntry> rows = grid.randomSearch(KNOWN, List.of(1), 400, 3L);
        long belowMilli = rows.stream().filter(r -> r.parsedCompileParams().optimizer().learningRate() < 0.001).count();
        // A log-uniform draw on [1e-4, 1] lands in [1e-4, 1e-3) a quarter of the time; a uniform draw 0.09%.
        assertTrue(belowMilli > 60 && belowMilli < 140, "draws below 1e-3: " + belowMilli);
    }

    @Test
    void randomSearchDropsRepeatedDraws() {
        List<MstEntry> rows = ConfigGrid.parse("{'loss': ['mse'], 'optimizer': ['SGD']}", "{'epochs': [1, 2]}")
                .randomSearch(KNOWN, List.of(1), 50, 1L);
        assertEquals(2, rows.size());
        assertEquals(List.of(1, 2), rows.stream().map(MstEntry::mstKey).toList());
    }

    @Test
    void rejectsMalformedGrids() {
        assertRejects(() -> ConfigGrid.parse("['loss']", "{}"), "compile_params_grid", "a list, not a dict");
        assertRejects(() -> ConfigGrid.parse("{'loss': 'mse'}", "{}"), "value of 'loss'", "non-empty list");
        assertRejects(() -> ConfigGrid.parse("{'loss': []}", "{}"), "value of 'loss'", "non-empty list");
        assertRejects(() -> ConfigGrid.parse("{'loss': ['mse'}", "{}"), "compile_params_grid", "closed by '}'");
        assertRejects(() -> ConfigGrid.parse("{'loss': ['mse']}", "{'verbose': [1, 2, 'linear']}"), "fit_params_grid",
                "'verbose'", "distribution", "list the values");
        assertRejects(() -> ConfigGrid.parse("{'optimizer_params_list': [{}]}", "{}"), "optimizer_params_list entry 1",
                "non-empty dict");
        assertRejects(() -> ConfigGrid.parse("{'optimizer_params_list': [{'lr': [0.1]}]}", "{}"), "entry 1",
                "names no optimizer", "'optimizer': ['Adam']");
        assertRejects(() -> ConfigGrid.parse("{'lr': [0.1], 'optimizer_params_list': [{'optimizer': ['SGD'], 'lr': [0.2]}]}", "{}"),
                "'lr' both at the top level and in optimizer_params_list");
        assertRejects(() -> ConfigGrid.parse("{'optimizer_params_list': {'optimizer': ['SGD']}}", "{}"),
                "optimizer_params_list=", "non-empty list of dicts");
    }

    @Test
    void rejectsMalformedDistributions() {
        String head = "{'loss': ['mse'], 'optimizer_params_list': [{'optimizer': ['SGD'], 'lr': ";
        assertRejects(() -> ConfigGrid.parse(head + "[0.1, 'log']}]}", "{}"), "'lr'", "exactly 3 elements");
        assertRejects(() -> ConfigGrid.parse(head + "[0.1, 0.01, 'log']}]}", "{}"), "'lr'", "lower bound < upper bound");
        assertRejects(() -> ConfigGrid.parse(head + "[0.0, 0.1, 'log']}]}", "{}"), "'lr'", "'log' with a bound <= 0");
        assertRejects(() -> ConfigGrid.parse(head + "[0.5, 1.0, 'log_near_one']}]}", "{}"), "'lr'", "bound >= 1");
        assertRejects(() -> ConfigGrid.parse(head + "[0.1, 0.2, 'cubic']}]}", "{}"), "'lr'", "unknown type 'cubic'");
        assertRejects(() -> ConfigGrid.parse(head + "[x, 0.2, 'log']}]}", "{}"), "lr lower bound=x", "not a number");
    }

    @Test
    void rejectsDistributionsInGridSearch() {
        ConfigGrid grid = ConfigGrid.parse("{'loss': ['mse'], 'optimizer_params_list': [{'optimizer': ['SGD'],"
                + " 'lr': [0.001, 0.1, 'log']}]}", "{}");
        assertRejects(() -> grid.gridSearch(KNOWN, List.of(1)), "generate_model_configs", "grid search",
                "lr=[0.001, 0.1, 'log']", "random search");
    }

    @Test
    void rejectsInvalidConfigurationsNamingTheDraw() {
        assertRejects(() -> ConfigGrid.parse("{'loss': ['mse'], 'optimizer': ['Lamb']}", "{}").gridSearch(KNOWN, List.of(1)),
                "generate_model_configs", "compile_params_grid gives the invalid configuration", "optimizer='Lamb'",
                "unknown optimizer 'Lamb'");
        assertRejects(() -> ConfigGrid.parse("{'loss': ['mse'], 'optimizer': ['SGD']}", "{'validation_split': [0.1]}")
                .randomSearch(KNOWN, List.of(1), 1, 0L), "fit_params_grid", "validation_split", "--validation-table");
        assertRejects(() -> ConfigGrid.parse("{'loss': ['mse'], 'optimizer_params_list': [{'optimizer': ['SGD'],"
                + " 'lr': [-1.0, 1.0, 'linear']}]}", "{}").randomSearch(KNOWN, List.of(1), 20, 0L), "lr=-", "> 0");
    }

    @Test
    void rejectsBadSearchArguments() {
        ConfigGrid grid = ConfigGrid.parse(MADLIB_COMPILE, MADLIB_FIT);
        assertRejects(() -> grid.randomSearch(KNOWN, List.of(1), 0, 1L), "num_configs=0", "between 1 and 100000");
        assertRejects(() -> grid.randomSearch(KNOWN, List.of(1), 1_000_000_000, 1L), "num_configs=1000000000", "between 1 and 100000");
        assertRejects(() -> grid.gridSearch(KNOWN, List.of(3)), "generate_model_configs", "model id 3", "[1, 2]");
        assertRejects(() -> ConfigGrid.parse(null, "{}"), "compile_params_grid is null");
    }

    @Test
    void randomSearchDrawsIntegerFitSettingsAndGridSearchRefusesThem() {
        ConfigGrid grid = ConfigGrid.parse("{'loss': ['categorical_crossentropy'], 'optimizer_params_list': [{'optimizer': ['Adam']}]}",
                "{'batch_size': [8, 32, 'log'], 'epochs': [1, 3, 'linear']}");
        List<MstEntry> rows = grid.randomSearch(KNOWN, List.of(1), 40, 3L);
        Set<Integer> epochs = new java.util.HashSet<>();
        for (MstEntry row : rows) {
            FitParams f = ParamParser.parseFit(row.fitParams());
            assertTrue(f.batchSize() >= 8 && f.batchSize() <= 32, row.fitParams());
            epochs.add(f.epochs());
        }
        assertEquals(Set.of(1, 2, 3), epochs);
        assertRejects(() -> grid.gridSearch(KNOWN, List.of(1)), "grid search cannot sample", "batch_size");
        assertRejects(() -> ConfigGrid.parse("{'loss': ['mse'], 'optimizer_params_list': [{'optimizer': ['Adam']}]}",
                "{'batch_size': [8.5, 32, 'log']}"), "batch_size lower bound");
        assertRejects(() -> ConfigGrid.parse("{'loss': ['mse'], 'optimizer_params_list': [{'optimizer': ['Adam']}]}",
                "{'batch_size': [8, 32, 'log_near_one']}"), "draws integers");
        assertRejects(() -> ConfigGrid.parse("{'loss': ['mse'], 'optimizer_params_list': [{'optimizer': ['Adam']}]}",
                "{'verbose': [0, 2, 'linear']}"), "is a distribution");
    }
}
