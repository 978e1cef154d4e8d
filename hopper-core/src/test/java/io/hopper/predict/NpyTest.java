package io.hopper.predict;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyTest {
    @TempDir
    Path dir;

    @Test
    void writesNumpysVersionOneLayoutAndReadsItBack() throws IOException {
        Path file = dir.resolve("a.npy");
        float[] values = {1.5f, -2f, 3.25f, 0f, 7f, 8f};
        Npy.write(file, List.of(2, 3), values);
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(0x93, bytes[0] & 0xFF);
        assertEquals("NUMPY", new String(bytes, 1, 5, StandardCharsets.US_ASCII));
        int header = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        assertEquals(0, (10 + header) % 64, "data aligned to 64 bytes");
        String text = new String(bytes, 10, header, StandardCharsets.US_ASCII);
        assertTrue(text.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3,), }") && text.endsWith("\n"), text);
        assertEquals(10 + header + 4 * values.length, bytes.length);
        Npy.Array back = Npy.read(file);
        assertEquals(List.of(2, 3), back.shape());
        assertArrayEquals(values, back.values());
        Npy.write(dir.resolve("v.npy"), List.of(4), new float[4]);
        assertEquals(List.of(4), Npy.read(dir.resolve("v.npy")).shape());
    }

    @Test
    void refusesOtherFilesAndTypes() throws IOException {
        Path text = dir.resolve("t.npy");
        Files.writeString(text, "not numpy at all");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Npy.read(text)).getMessage().contains("is not a version 1 .npy file"));
        Path doubles = dir.resolve("d.npy");
        Npy.write(doubles, List.of(1), new float[1]);
        byte[] b = Files.readAllBytes(doubles);
        String header = new String(b, StandardCharsets.ISO_8859_1).replace("'<f4'", "'<f8'");
        Files.write(doubles, header.getBytes(StandardCharsets.ISO_8859_1));
        String m = assertThrows(IllegalArgumentException.class, () -> Npy.read(doubles)).getMessage();
        assertTrue(m.contains("needs little-endian float32"), m);
    }
}
