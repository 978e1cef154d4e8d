package io.hopper.api;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadKerasModelSpecTest {

    @Test
    void builderFillsOptionalsAndRequiresTableAndFile() {
        LoadKerasModelSpec spec = LoadKerasModelSpec.builder().setModelArchTable("arch").setModelArch(Path.of("m.json"))
                .optName("n").build();
        assertEquals("n", spec.name().orElseThrow());
        assertTrue(spec.modelWeights().isEmpty() && spec.description().isEmpty());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoadKerasModelSpec.builder().setModelArch(Path.of("m.json")).build());
        assertTrue(e.getMessage().contains("--model-arch-table"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> LoadKerasModelSpec.builder().setModelArchTable("1arch").setModelArch(Path.of("m.json")).build())
                .getMessage().contains("'1arch' is not an identifier"));
    }
}
