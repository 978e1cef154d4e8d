package io.hopper.model.params;

import static io.hopper.model.params.ParamParserTest.assertRejects;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelSelectionTest {

    private static final Set<Integer> KNOWN = Set.of(1, 2, 3);
    private static final String ADAM = "loss='categorical_crossentropy', optimizer='Adam(lr=0.001)', metrics=['accuracy']";
    private static final String SGD = "loss='categorical_crossentropy', optimizer='SGD(lr=0.01, momentum=0.9)', metrics=['accuracy']";

    @Test
    void crossProductInModelThenCompileThenFitOrder() {
        List<MstEntry> rows = ModelSelection.load(KNOWN, List.of(2, 1), List.of(ADAM, SGD),
                List.of("batch_size=50, epochs=1", "batch_size=32, epochs=1"));
        assertEquals(8, rows.size());
        String adam = ParamParser.parseCompile(ADAM).canonical();
        String sgd = ParamParser.parseCompile(SGD).canonical();
        String b50 = ParamParser.parseFit("batch_size=50, epochs=1").canonical();
        String b32 = ParamParser.parseFit("batch_size=32, epochs=1").canonical();
        assertEquals(List.of(
                new MstEntry(1, 1, adam, b50), new MstEntry(2, 1, adam, b32), new MstEntry(3, 1, sgd, b50),
                new MstEntry(4, 1, sgd, b32), new MstEntry(5, 2, adam, b50), new MstEntry(6, 2, adam, b32),
                new MstEntry(7, 2, sgd, b50), new MstEntry(8, 2, sgd, b32)), rows);
    }

    @Test
    void duplicatesBySettingsCollapseToTheFirstPosition() {
        List<MstEntry> rows = ModelSelection.load(KNOWN, List.of(3, 3),
                List.of(ADAM, SGD, "metrics=['acc'], optimizer=adam, loss=categorical_crossentropy",
                        "loss=\"categorical_crossentropy\", optimizer=\"Adam(learning_rate=1e-3)\", metrics=[\"accuracy\"]"),
                List.of("batch_size=32, epochs=1", "", "epochs=1,batch_size=32", "epochs=1, batch_size='32'"));
        assertEquals(2, rows.size());
        assertEquals(List.of(1, 2), rows.stream().map(MstEntry::mstKey).toList());
        assertEquals(List.of(3, 3), rows.stream().map(MstEntry::modelId).toList());
        assertEquals(ParamParser.parseCompile(ADAM), rows.get(0).parsedCompileParams());
        assertEquals(ParamParser.parseCompile(SGD), rows.get(1).parsedCompileParams());
        assertEquals(FitParams.defaults(), rows.get(0).parsedFitParams());
    }

    @Test
    void sameInputsGiveTheSameRows() {
        List<String> compiles = List.of(SGD, ADAM);
        List<String> fits = List.of("batch_size=8", "batch_size=16");
        assertEquals(ModelSelection.load(KNOWN, List.of(1, 2), compiles, fits),
                ModelSelection.load(KNOWN, List.of(2, 1, 2), compiles, fits));
    }

    @Test
    void rejectsUnknownModelIdsListingTheKnownOnes() {
        assertRejects(() -> ModelSelection.load(KNOWN, List.of(1, 7), List.of(ADAM), List.of("")),
                "load_model_selection_table", "model id 7", "[1, 2, 3]");
    }

    @Test
    void rejectsInvalidStringsByPosition() {
        assertRejects(() -> ModelSelection.load(KNOWN, List.of(1), List.of(ADAM, "loss=mse, optimizer=Lamb"), List.of("")),
                "compile_params_list entry 2 of 2", "unknown optimizer 'Lamb'");
        assertRejects(() -> ModelSelection.load(KNOWN, List.of(1), List.of(ADAM), List.of("epochs=1", "epochs=1", "validation_split=0.1")),
                "fit_params_list entry 3 of 3", "validation_split");
    }

    @Test
    void rejectsEmptyLists() {
        assertRejects(() -> ModelSelection.load(KNOWN, List.of(), List.of(ADAM), List.of("")), "model_id_list is empty");
        assertRejects(() -> ModelSelection.load(KNOWN, List.of(1), List.of(), List.of("")), "compile_params_list is empty");
        assertRejects(() -> ModelSelection.load(KNOWN, List.of(1), List.of(ADAM), List.of()), "fit_params_list is empty");
    }
}
