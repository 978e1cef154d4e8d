package io.hopper.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PackedBufferTest {
    @Test
    void aSingleBufferIsInputZeroAndOutputZeroOfTheGeneralOne() {
        PackedBuffer one = new PackedBuffer(1, new float[] {1, 2, 3, 4}, List.of(2, 2), new short[] {1, 0, 0, 1}, List.of(2, 2));
        PackedBuffer same = new PackedBuffer(1, List.of(new float[] {1, 2, 3, 4}), List.of(List.of(2, 2)),
                List.of(new short[] {1, 0, 0, 1}), List.of(List.of(2, 2)));
        assertEquals(one, same);
        assertEquals(1, one.inputs());
        assertEquals(1, one.outputs());
        assertEquals(24, one.sizeBytes());
    }

    @Test
    void severalInputsAndOutputsShareTheirRows() {
        PackedBuffer b = new PackedBuffer(3, List.of(new float[] {1, 2}, new float[] {5, 6, 7, 8, 9, 10}), List.of(List.of(2, 1),
                List.of(2, 3)), List.of(new short[] {1, 0, 0, 1}, new short[] {0, 0, 1, 1, 0, 0}), List.of(List.of(2, 2), List.of(2, 3)));
        assertEquals(2, b.rows());
        assertEquals(List.of(1), b.sampleShape());
        assertEquals(List.of(3), b.sampleShape(1));
        assertEquals(2, b.classes());
        assertEquals(3, b.classes(1));
        assertArrayEquals(new float[] {5, 6, 7, 8, 9, 10}, b.x(1));
        assertEquals(4L * 8 + 2L * 10, b.sizeBytes());
        assertNotEquals(b, new PackedBuffer(3, List.of(new float[] {1, 2}, new float[] {5, 6, 7, 8, 9, 11}), b.xShapes(), b.ys(),
                b.yShapes()));
        String rows = assertThrows(IllegalArgumentException.class, () -> new PackedBuffer(0, List.of(new float[2], new float[3]),
                List.of(List.of(2, 1), List.of(3, 1)), List.of(new short[2]), List.of(List.of(2, 1)))).getMessage();
        assertTrue(rows.contains("x has 2 rows but a shape [3, 1] has 3"), rows);
        String length = assertThrows(IllegalArgumentException.class, () -> new PackedBuffer(0, List.of(new float[2]),
                List.of(List.of(2, 1)), List.of(new short[3]), List.of(List.of(2, 2)))).getMessage();
        assertTrue(length.contains("data length 3 does not match its shape [2, 2]"), length);
        assertThrows(IllegalArgumentException.class, () -> new PackedBuffer(0, List.of(), List.of(), List.of(new short[2]),
                List.of(List.of(2, 1))));
    }
}
