package io.hopper.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TensorBoardLogsTest {
    @TempDir
    Path dir;

    /** One decoded event: what TensorBoard reads. */
    record Event(double wallTime, long step, String fileVersion, List<String> tags, List<Float> values) {
    }

    @Test
    void writesOneRunPerConfigurationThatAskedWithKerasTagsPerIteration() throws IOException {
        String tb = "batch_size=16, epochs=1, callbacks=[TensorBoard(log_dir='" + dir.resolve("logs") + "')]";
        FitRecord fit = Records.fit(List.of(
                Records.config(1, tb, List.of(0.9, 0.6), List.of(0.8, 0.7)),
                Records.config(2, "batch_size=16, epochs=1", List.of(0.9, 0.5), List.of(0.8, 0.4)),
                Records.config(3, tb, List.of(0.5, 0.25), List.of())), "v");
        List<Path> runs = TensorBoardLogs.write(fit);
        assertEquals(List.of(dir.resolve("logs/mst_key_1"), dir.resolve("logs/mst_key_3")), runs);
        assertFalse(Files.exists(dir.resolve("logs/mst_key_2")));
        assertFalse(Files.exists(dir.resolve("logs/mst_key_3/validation")), "no validation table for mst 3's data");
        List<Event> train = decode(only(dir.resolve("logs/mst_key_1/train")));
        assertEquals("brain.Event:2", train.get(0).fileVersion());
        double start = 1767323045.0;
        assertEquals(start, train.get(0).wallTime());
        assertEquals(List.of("epoch_loss"), train.get(1).tags());
        assertEquals(List.of(0.9f), train.get(1).values());
        assertEquals(1, train.get(1).step());
        assertEquals(List.of("epoch_accuracy"), train.get(2).tags());
        assertEquals(List.of(0.5f), train.get(2).values());
        assertEquals(2, train.get(3).step());
        assertEquals(start + 2.0, train.get(3).wallTime());
        assertEquals(List.of(0.6f), train.get(3).values());
        assertEquals(5, train.size());
        List<Event> validation = decode(only(dir.resolve("logs/mst_key_1/validation")));
        assertEquals(List.of(0.7f), validation.get(3).values());
        assertEquals(List.of(0.5f), validation.get(4).values());
    }

    @Test
    void pythonsTensorBoardReadsTheScalarsWhenItIsInstalled() throws Exception {
        String reader = "from tensorboard.backend.event_processing.event_accumulator import EventAccumulator as E";
        assumeTrue(python(reader) == 0, "Python's tensorboard is not installed");
        FitRecord fit = Records.fit(List.of(Records.config(1, "batch_size=16, callbacks=[TensorBoard(log_dir='" + dir.resolve("tb") + "')]",
                List.of(0.9, 0.6), List.of(0.8, 0.7))), "v");
        TensorBoardLogs.write(fit);
        String script = reader + "\nimport sys\na = E(sys.argv[1]); a.Reload()\n"
                + "print(';'.join('%s=%d:%.4f' % (t, e.step, e.value) for t in sorted(a.Tags()['scalars']) for e in a.Scalars(t)))";
        Process p = new ProcessBuilder("python3", "-c", script, dir.resolve("tb/mst_key_1/train").toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals("epoch_accuracy=1:0.5000;epoch_accuracy=2:0.7500;epoch_loss=1:0.9000;epoch_loss=2:0.6000", out);
    }

    private static int python(String code) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("python3", "-c", code).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static Path only(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            assertEquals(1, all.size());
            assertTrue(all.get(0).getFileName().toString().startsWith("events.out.tfevents."));
            return all.get(0);
        }
    }

    /** Reads TFRecord frames, checking both masked CRCs, and decodes the Event fields TensorBoard's scalars use. */
    static List<Event> decode(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<Event> events = new ArrayList<>();
        while (b.hasRemaining()) {
            byte[] lengthBytes = new byte[8];
            b.get(lengthBytes);
            assertEquals(TensorBoardEvents.maskedCrc(lengthBytes, 0, 8), b.getInt(), "length crc");
            byte[] data = new byte[(int) ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong()];
            b.get(data);
            assertEquals(TensorBoardEvents.maskedCrc(data, 0, data.length), b.getInt(), "data crc");
            events.add(event(ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN)));
        }
        return events;
    }

    private static Event event(ByteBuffer b) {
        double wall = 0;
        long step = 0;
        String version = null;
        List<String> tags = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        while (b.hasRemaining()) {
            long key = varint(b);
            switch ((int) key) {
                case (1 << 3) | 1 -> wall = b.getDouble();
                case (2 << 3) -> step = varint(b);
                case (3 << 3) | 2 -> version = new String(bytes(b), StandardCharsets.UTF_8);
                case (5 << 3) | 2 -> {
                    ByteBuffer summary = ByteBuffer.wrap(bytes(b)).order(ByteOrder.LITTLE_ENDIAN);
                    while (summary.hasRemaining()) {
                        assertEquals((1 << 3) | 2, varint(summary));
                        ByteBuffer value = ByteBuffer.wrap(bytes(summary)).order(ByteOrder.LITTLE_ENDIAN);
                        while (value.hasRemaining()) {
                            long k = varint(value);
                            if (k == ((1 << 3) | 2)) {
                                tags.add(new String(bytes(value), StandardCharsets.UTF_8));
                            } else {
                                assertEquals((2 << 3) | 5, k);
                                values.add(value.getFloat());
                            }
                        }
                    }
                }
                default -> throw new AssertionError("unexpected field key " + key);
            }
        }
        return new Event(wall, step, version, tags, values);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[(int) varint(b)];
        b.get(out);
        return out;
    }

    private static long varint(ByteBuffer b) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b.get();
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
    }
}
