package io.hopper.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateFormatTest {

    private static byte[] sample(NDManager manager) {
        return StateFormat.write(List.of(
                StateFormat.Entry.of("dense/weight", manager.create(new float[] {1.5f, -2f, 3.25f, 0f, -0f, Float.MIN_VALUE}, new Shape(2, 3))),
                StateFormat.Entry.of("counts", manager.create(new long[] {7, -1})),
                StateFormat.Entry.ofLong("Adam/iterations", 42),
                StateFormat.Entry.ofDouble("Nadam/m_schedule", 0.123456789)));
    }

    @Test
    void entriesRoundTripAndTheLayoutIsLittleEndian() {
        try (NDManager manager = NDManager.newBaseManager()) {
            byte[] bytes = sample(manager);
            assertArrayEquals(new byte[] {'H', 'O', 'P', 'S', 1, 0, 0, 0, 4, 0, 0, 0}, Arrays.copyOf(bytes, 12));
            List<StateFormat.Entry> entries = StateFormat.read(bytes);
            assertEquals(List.of("dense/weight", "counts", "Adam/iterations", "Nadam/m_schedule"), entries.stream().map(StateFormat.Entry::name).toList());
            assertEquals(List.of(2L, 3L), entries.get(0).shape());
            assertEquals(StateFormat.DType.INT64, entries.get(1).dtype());
            assertEquals(42, entries.get(2).longValue());
            assertEquals(0.123456789, entries.get(3).doubleValue());
            assertEquals(Float.floatToRawIntBits(-2f), entries.get(0).data().getInt(4));
            NDArray target = manager.zeros(new Shape(2, 3));
            entries.get(0).copyInto(target);
            assertArrayEquals(new float[] {1.5f, -2f, 3.25f, 0f, -0f, Float.MIN_VALUE}, target.toFloatArray());
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(target.toFloatArray()[4]), "bits, not values, are kept");
            assertArrayEquals(bytes, StateFormat.write(entries));
        }
    }

    @Test
    void truncatedCorruptOrForeignBytesAreRejectedWithOneLine() {
        byte[] bytes;
        try (NDManager manager = NDManager.newBaseManager()) {
            bytes = sample(manager);
        }
        byte[] flipped = bytes.clone();
        flipped[40] ^= 0x10;
        byte[] magic = bytes.clone();
        magic[0] = 'X';
        byte[] version = bytes.clone();
        version[4] = 9;
        List<byte[]> bad = List.of(Arrays.copyOf(bytes, bytes.length - 9), Arrays.copyOf(bytes, 10), new byte[0], flipped, magic, version);
        List<String> expected = List.of("checksum", "too short", "too short", "checksum", "magic", "version 9");
        for (int i = 0; i < bad.size(); i++) {
            byte[] b = bad.get(i);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StateFormat.read(b));
            assertTrue(e.getMessage().startsWith("model state:") && e.getMessage().contains(expected.get(i)) && !e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void anEntryMustHoldExactlyItsShapesBytes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StateFormat.Entry("w", StateFormat.DType.FLOAT32, List.of(2L), ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
    }

    @Test
    void anEntryOfTheWrongShapeDoesNotFillAnArray() {
        try (NDManager manager = NDManager.newBaseManager()) {
            StateFormat.Entry entry = StateFormat.Entry.of("w", manager.create(new float[] {1, 2}));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> entry.copyInto(manager.zeros(new Shape(3))));
            assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("(3)"), e.getMessage());
        }
    }
}
