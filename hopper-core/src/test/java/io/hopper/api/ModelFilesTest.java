package io.hopper.api;

import io.hopper.model.keras.KerasArchitecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFilesTest {
    @TempDir
    Path dir;

    /** A real Keras 3.15 document (an Embedding + LSTM text model), as model.to_json() wrote it. */
    private static byte[] keras3Document() throws IOException {
        try (InputStream in = new GZIPInputStream(ModelFilesTest.class.getResourceAsStream("/keras/real/text_lstm.json.gz"))) {
            return in.readAllBytes();
        }
    }

    /** A zip archive with these entries (name, bytes, name, bytes, ...), as Keras 3's model.save('m.keras') lays them out. */
    private Path archive(String name, Object... entries) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < entries.length; i += 2) {
                zip.putNextEntry(new ZipEntry((String) entries[i]));
                zip.write((byte[]) entries[i + 1]);
                zip.closeEntry();
            }
        }
        return file;
    }

    @Test
    void aKerasArchiveIsReadThroughItsConfigJson() throws IOException {
        byte[] doc = keras3Document();
        Path json = Files.write(dir.resolve("m.json"), doc);
        Path keras = archive("m.keras", "metadata.json", "{\"keras_version\": \"3.15.1\"}".getBytes(StandardCharsets.UTF_8),
                "config.json", doc, "model.weights.h5", new byte[] {(byte) 0x89, 'H', 'D', 'F'});
        assertEquals(ModelFiles.readArchitecture(json), ModelFiles.readArchitecture(keras));
        assertEquals(KerasArchitecture.parse(ModelFiles.readArchitecture(json)).summary().totalParams(),
                Hopper.archSummary(keras).totalParams());
        assertTrue(ModelFiles.hasUnreadWeights(keras), "its weights are in model.weights.h5, which Hopper leaves out");
        assertFalse(ModelFiles.hasUnreadWeights(json));
        assertFalse(ModelFiles.hasUnreadWeights(archive("arch-only.keras", "config.json", doc)));
    }

    @Test
    void otherSavedFilesAreRefusedSayingWhatToGive() throws IOException {
        Path h5 = Files.write(dir.resolve("m.h5"), new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n', 0, 0});
        String message = assertThrows(IllegalArgumentException.class, () -> ModelFiles.readArchitecture(h5)).getMessage();
        assertTrue(message.contains("'" + h5 + "' is an HDF5 file") && message.contains("model.to_json()"), message);

        Path zip = archive("other.zip", "readme.txt", "hello".getBytes(StandardCharsets.UTF_8));
        message = assertThrows(IllegalArgumentException.class, () -> ModelFiles.readArchitecture(zip)).getMessage();
        assertTrue(message.contains("zip archive without config.json"), message);

        Path damaged = Files.write(dir.resolve("damaged.keras"), new byte[] {'P', 'K', 3, 4, 1, 2, 3});
        message = assertThrows(IllegalArgumentException.class, () -> ModelFiles.readArchitecture(damaged)).getMessage();
        assertTrue(message.contains("damaged zip archive") && message.contains("save the .keras file again"), message);

        message = assertThrows(IllegalArgumentException.class, () -> ModelFiles.readArchitecture(dir.resolve("none.json"))).getMessage();
        assertTrue(message.contains("does not exist; check the path"), message);
        message = assertThrows(IllegalArgumentException.class, () -> ModelFiles.readArchitecture(dir)).getMessage();
        assertTrue(message.contains("is a directory; give the file"), message);
    }
}
