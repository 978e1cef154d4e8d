package io.hopper.data;

import io.hopper.store.FileStore;
import io.hopper.store.Row;
import io.hopper.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shows the memory bound of {@link TrainingPreprocessor}: a CSV larger than a 32 MiB heap packs in a JVM started
 * with -Xmx32m, through spill files, into the same bytes as an in-process run that sorts in memory.
 */
class BoundedMemoryTest {
    static final int COLUMNS = 20;
    static final int BUFFER_SIZE = 5000;
    private static final int ROWS = 215_000;
    private static final long HEAP = 32L << 20;

    @TempDir
    Path dir;

    private Path generate() throws IOException {
        Path csv = dir.resolve("big.csv");
        SplittableRandom random = new SplittableRandom(11);
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            StringBuilder header = new StringBuilder();
            for (int i = 0; i < COLUMNS; i++) {
                header.append('c').append(i).append(',');
            }
            w.write(header.append("label\n").toString());
            StringBuilder line = new StringBuilder();
            for (int r = 0; r < ROWS; r++) {
                line.setLength(0);
                for (int i = 0; i < COLUMNS; i++) {
                    line.append(random.nextInt(1_000_000) / 1000.0).append(',');
                }
                line.append("class").append(random.nextInt(7)).append('\n');
                w.write(line.toString());
            }
        }
        return csv;
    }

    @Test
    void packsACsvLargerThanTheHeapInAForkedJvm() throws IOException, InterruptedException {
        Path csv = generate();
        assertTrue(Files.size(csv) > HEAP, "the CSV (" + Files.size(csv) + " bytes) is larger than the child's heap");
        Path childStore = dir.resolve("child-store");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"),
                ForkedPreprocess.class.getName(), childStore.toString(), csv.toString(), "big")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the child finishes");
        assertEquals(0, p.exitValue(), "child output: " + out);
        Matcher m = Pattern.compile("rows=(\\d+) chunkBytes=(\\d+) maxHeap=(\\d+)").matcher(out);
        assertTrue(m.find(), out);
        assertEquals(ROWS, Long.parseLong(m.group(1)));
        assertTrue(Long.parseLong(m.group(3)) <= HEAP, "the child ran with at most 32 MiB of heap");
        assertTrue(Long.parseLong(m.group(2)) * 8 < Files.size(csv), "the rows did not fit one in-memory chunk, so they spilled");

        try (Store child = new FileStore(childStore); Store here = new FileStore(dir.resolve("here"))) {
            StringBuilder x = new StringBuilder("c0");
            for (int i = 1; i < COLUMNS; i++) {
                x.append(",c").append(i);
            }
            new TrainingPreprocessor(here).preprocess(TrainingPreprocessSpec.builder().setSource(new SourceSpec.Csv(csv))
                    .setOutputTable("big").setDependentVarname("label").setIndependentVarname(x.toString())
                    .optBufferSize(BUFFER_SIZE).optPartitions(2).optSeed(3).build());
            assertEquals(PackedTables.readSummary(here, "big"), PackedTables.readSummary(child, "big"));
            List<Row> a = new ArrayList<>();
            child.scan("big", a::add);
            int[] i = {0};
            here.scan("big", r -> {
                Row c = a.get(i[0]++);
                assertArrayEquals((byte[]) r.get(1), (byte[]) c.get(1), "x of buffer " + r.get(5));
                assertArrayEquals((byte[]) r.get(2), (byte[]) c.get(2), "y of buffer " + r.get(5));
            });
            assertEquals(a.size(), i[0]);
        }
    }
}
