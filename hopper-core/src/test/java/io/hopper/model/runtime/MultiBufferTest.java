package io.hopper.model.runtime;

import io.hopper.data.PackedBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultiBufferTest {

    @Test
    void wrapsAPackedBufferWithoutCopying() {
        PackedBuffer packed = new PackedBuffer(3, new float[12], List.of(2, 3, 2), new short[8], List.of(2, 4));
        MultiBuffer buffer = MultiBuffer.of(packed);
        assertEquals(3, buffer.bufferId());
        assertEquals(2, buffer.rows());
        assertEquals(1, buffer.inputs());
        assertEquals(1, buffer.outputs());
        assertSame(packed.x(), buffer.x(0));
        assertSame(packed.y(), buffer.y(0));
        assertEquals(List.of(3, 2), buffer.sampleShape(0));
        assertEquals(4, buffer.classes(0));
    }

    @Test
    void wrapsEveryInputAndOutputOfAMultiIoPackedBuffer() {
        PackedBuffer packed = new PackedBuffer(5, List.of(new float[4], new float[6]), List.of(List.of(2, 2), List.of(2, 3)),
                List.of(new short[6], new short[4]), List.of(List.of(2, 3), List.of(2, 2)));
        MultiBuffer buffer = MultiBuffer.of(packed);
        assertEquals(2, buffer.inputs());
        assertEquals(2, buffer.outputs());
        assertSame(packed.x(1), buffer.x(1));
        assertSame(packed.y(1), buffer.y(1));
        assertEquals(List.of(3), buffer.sampleShape(1));
        assertEquals(2, buffer.classes(1));
    }

    @Test
    void holdsSeveralInputsAndOutputs() {
        MultiBuffer buffer = new MultiBuffer(0, List.of(new float[8], new float[6]), List.of(List.of(2, 4), List.of(2, 3)),
                List.of(new short[6], new short[4]), List.of(List.of(2, 3), List.of(2, 2)));
        assertEquals(2, buffer.inputs());
        assertEquals(2, buffer.outputs());
        assertEquals(List.of(3), buffer.sampleShape(1));
        assertEquals(2, buffer.classes(1));
    }

    @Test
    void inconsistentArraysAreRejectedNamingTheBufferAndArray() {
        IllegalArgumentException noOutput = assertThrows(IllegalArgumentException.class,
                () -> new MultiBuffer(5, List.of(new float[4]), List.of(List.of(1, 4)), List.of(), List.of()));
        assertTrue(noOutput.getMessage().startsWith("buffer 5: has 1 x arrays"), noOutput.getMessage());
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class, () -> new MultiBuffer(5,
                List.of(new float[8], new float[9]), List.of(List.of(2, 4), List.of(3, 3)), List.of(new short[6]), List.of(List.of(2, 3))));
        assertTrue(rows.getMessage().startsWith("buffer 5: x_1 has 3 rows"), rows.getMessage());
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class, () -> new MultiBuffer(5,
                List.of(new float[8]), List.of(List.of(2, 4)), List.of(new short[5]), List.of(List.of(2, 3))));
        assertTrue(length.getMessage().startsWith("buffer 5: y_0 holds 5 values"), length.getMessage());
        IllegalArgumentException labels = assertThrows(IllegalArgumentException.class, () -> new MultiBuffer(5,
                List.of(new float[8]), List.of(List.of(2, 4)), List.of(new short[6]), List.of(List.of(2, 3, 1))));
        assertTrue(labels.getMessage().contains("y_0 has shape [2, 3, 1]"), labels.getMessage());
    }
}
