package io.hopper.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordSorterTest {
    /** Sorts 5000 records with small keys (many ties) and returns their payload ids in output order. */
    private static List<Integer> sort(long chunkBytes, boolean[] spilled) {
        SplittableRandom random = new SplittableRandom(5);
        byte[] payload = new byte[12];
        List<Integer> out = new ArrayList<>();
        try (RecordSorter s = new RecordSorter(payload.length, chunkBytes)) {
            for (int i = 0; i < 5000; i++) {
                Bytes.putInt(payload, 0, i);
                Bytes.putLong(payload, 4, random.nextInt(100));
                s.add(Bytes.getLong(payload, 4), payload);
            }
            RecordSorter.Cursor c = s.sorted();
            while (c.next()) {
                out.add(Bytes.getInt(c.buffer(), c.offset()));
            }
            spilled[0] = s.spilledRuns() > 0;
        }
        return out;
    }

    @Test
    void orderIsByKeyThenArrivalWhateverTheChunkSize() {
        SplittableRandom random = new SplittableRandom(5);
        List<long[]> expected = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            expected.add(new long[] {random.nextInt(100), i});
        }
        expected.sort(Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1]));
        List<Integer> want = expected.stream().map(a -> (int) a[1]).toList();
        boolean[] spilled = new boolean[1];
        assertEquals(want, sort(1 << 24, spilled));
        assertTrue(!spilled[0], "one chunk stays in memory");
        // 1000-byte chunks hold 35 records: 143 runs merged two at a time over several passes
        assertEquals(want, sort(1000, spilled));
        assertTrue(spilled[0]);
    }
}
