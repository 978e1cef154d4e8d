package io.hopper.predict;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExportedModelTest {
    @TempDir
    static Path dir;
    static Fitted fitted;

    @BeforeAll
    static void fit() {
        fitted = new Fitted(dir);
    }

    @Test
    void readsWhatTheManifestRecords() {
        ChosenModel model = ChosenModel.read(fitted.store, "single", OptionalInt.empty());
        Path out = dir.resolve("export_single");
        ModelExport.write(model, out);
        ExportedModel back = ExportedModel.read(out);
        assertEquals(model.archJson(), back.archJson());
        assertEquals(java.util.Arrays.toString(model.kerasWeights()), java.util.Arrays.toString(back.kerasWeights()));
        assertEquals(model.classValues(), back.classValues());
        assertEquals(model.normalizingConst(), back.normalizingConst());
    }

    @Test
    void aDamagedExportIsRefusedNamingTheFile() throws IOException {
        ChosenModel model = ChosenModel.read(fitted.store, "single", OptionalInt.empty());
        Path out = dir.resolve("export_damaged");
        List<Path> files = ModelExport.write(model, out);
        Path weight = files.get(3);
        byte[] bytes = Files.readAllBytes(weight);
        Files.write(weight, java.util.Arrays.copyOf(bytes, bytes.length - 4));
        String m = assertThrows(IllegalArgumentException.class, () -> ExportedModel.read(out)).getMessage();
        assertTrue(m.contains(weight.toString()) && m.contains("data bytes"), m);
        Files.delete(weight);
        String missing = assertThrows(IllegalArgumentException.class, () -> ExportedModel.read(out)).getMessage();
        assertTrue(missing.contains("is missing"), missing);
        Files.writeString(out.resolve("manifest.json"), "{\"format\": \"other\"}", StandardCharsets.UTF_8);
        String format = assertThrows(IllegalArgumentException.class, () -> ExportedModel.read(out)).getMessage();
        assertTrue(format.contains("is not a hopper-keras-weights version 1 manifest"), format);
    }

}
