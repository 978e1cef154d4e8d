package io.hopper.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Sorts fixed-size binary records by a 43-bit key, ties broken by arrival order, in bounded memory: records
 * collect in a chunk of at most {@code chunkBytes}; a full chunk is sorted and spilled to a run file in a
 * temporary directory; the runs are merged (in several passes when there are more than the fan-in) while the
 * caller reads the result. With one chunk nothing touches the disk.
 *
 * <p>The order depends only on the keys and the arrival order, never on the chunk size, so a shuffle by random
 * keys from a seed is reproducible whatever memory the JVM has. Memory: the chunk (its bytes plus 8 bytes per
 * record) while adding; {@code fanIn} read buffers of {@value #IO_BUFFER} bytes while merging.
 */
final class RecordSorter implements AutoCloseable {
    /** The largest key plus one. */
    static final long KEY_LIMIT = 1L << 43;
    static final int IO_BUFFER = 1 << 16;
    private static final int SLOT_BITS = 20;
    private static final int HEADER = 16;

    private final int payloadBytes;
    private final int recordBytes;
    private final int chunkRecords;
    private final int fanIn;
    private byte[] chunk;
    private long[] order;
    private int inChunk;
    private long added;
    private Path tempDir;
    private final List<Path> runs = new ArrayList<>();
    private int runCounter;
    private final List<InputStream> open = new ArrayList<>();

    /**
     * Creates a sorter.
     *
     * @param payloadBytes the size of each record's payload
     * @param chunkBytes the memory for the in-memory chunk
     */
    RecordSorter(int payloadBytes, long chunkBytes) {
        this.payloadBytes = payloadBytes;
        this.recordBytes = HEADER + payloadBytes;
        this.chunkRecords = (int) Math.max(1, Math.min(1 << SLOT_BITS, chunkBytes / recordBytes));
        this.fanIn = (int) Math.max(2, chunkBytes / IO_BUFFER);
        int initial = Math.min(chunkRecords, 1024);
        this.chunk = new byte[initial * recordBytes];
        this.order = new long[initial];
    }

    /** The number of records added. */
    long size() {
        return added;
    }

    /** The number of run files spilled so far. */
    int spilledRuns() {
        return runCounter;
    }

    /**
     * Adds a record.
     *
     * @param key the sort key, 0 &lt;= key &lt; {@link #KEY_LIMIT}
     * @param payload the payload, {@code payloadBytes} long from offset 0
     */
    void add(long key, byte[] payload) {
        if (inChunk == chunkRecords) {
            spill();
        } else if (inChunk == order.length) {
            int grown = Math.min(chunkRecords, 2 * order.length);
            chunk = Arrays.copyOf(chunk, grown * recordBytes);
            order = Arrays.copyOf(order, grown);
        }
        int at = inChunk * recordBytes;
        Bytes.putLong(chunk, at, key);
        Bytes.putLong(chunk, at + 8, added);
        System.arraycopy(payload, 0, chunk, at + HEADER, payloadBytes);
        order[inChunk] = key << SLOT_BITS | inChunk;
        inChunk++;
        added++;
    }

    private void sortChunk() {
        Arrays.sort(order, 0, inChunk);
    }

    private void spill() {
        sortChunk();
        Path run = newRun();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(run), IO_BUFFER)) {
            for (int i = 0; i < inChunk; i++) {
                out.write(chunk, (int) (order[i] & ((1 << SLOT_BITS) - 1)) * recordBytes, recordBytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the spill file " + run + ": " + e.getMessage(), e);
        }
        runs.add(run);
        inChunk = 0;
    }

    private Path newRun() {
        try {
            if (tempDir == null) {
                tempDir = Files.createTempDirectory("hopper-preprocess-");
            }
            return tempDir.resolve("run-" + runCounter++ + ".bin");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary spill directory: " + e.getMessage(), e);
        }
    }

    /** Reads records in order: {@link #next()} then the payload at {@link #offset()} of {@link #buffer()}. */
    interface Cursor {
        /** Moves to the next record; false at the end. */
        boolean next();

        /** The array holding the current record. */
        byte[] buffer();

        /** Where the current record's payload starts in {@link #buffer()}. */
        int offset();
    }

    /** Finishes adding and returns the records in order of (key, arrival). Call once. */
    Cursor sorted() {
        if (runs.isEmpty()) {
            sortChunk();
            return new Cursor() {
                private int i = -1;

                @Override
                public boolean next() {
                    return ++i < inChunk;
                }

                @Override
                public byte[] buffer() {
                    return chunk;
                }

                @Override
                public int offset() {
                    return (int) (order[i] & ((1 << SLOT_BITS) - 1)) * recordBytes + HEADER;
                }
            };
        }
        if (inChunk > 0) {
            spill();
        }
        while (runs.size() > fanIn) {
            List<Path> group = new ArrayList<>(runs.subList(0, fanIn));
            runs.subList(0, fanIn).clear();
            Path merged = newRun();
            Cursor c = merge(group);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(merged), IO_BUFFER)) {
                while (c.next()) {
                    out.write(c.buffer(), 0, recordBytes);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the spill file " + merged + ": " + e.getMessage(), e);
            }
            closeOpen();
            for (Path p : group) {
                delete(p);
            }
            runs.add(merged);
        }
        return merge(runs);
    }

    /** One run being merged: its stream and current record. */
    private final class Run {
        final InputStream in;
        final byte[] record = new byte[recordBytes];
        long key;
        long seq;

        Run(Path path) throws IOException {
            in = new BufferedInputStream(Files.newInputStream(path), IO_BUFFER);
            open.add(in);
        }

        boolean advance() {
            try {
                int n = in.readNBytes(record, 0, recordBytes);
                if (n == 0) {
                    return false;
                }
                if (n != recordBytes) {
                    throw new IllegalStateException("spill file ends inside a record; was the temporary directory changed?");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read a spill file: " + e.getMessage(), e);
            }
            key = Bytes.getLong(record, 0);
            seq = Bytes.getLong(record, 8);
            return true;
        }
    }

    private Cursor merge(List<Path> paths) {
        PriorityQueue<Run> queue = new PriorityQueue<>(Comparator.<Run>comparingLong(r -> r.key).thenComparingLong(r -> r.seq));
        try {
            for (Path p : paths) {
                Run r = new Run(p);
                if (r.advance()) {
                    queue.add(r);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a spill file: " + e.getMessage(), e);
        }
        return new Cursor() {
            private Run current;

            @Override
            public boolean next() {
                if (current != null && current.advance()) {
                    queue.add(current);
                }
                current = queue.poll();
                return current != null;
            }

            @Override
            public byte[] buffer() {
                return current.record;
            }

            @Override
            public int offset() {
                return HEADER;
            }
        };
    }

    private void closeOpen() {
        for (InputStream in : open) {
            try {
                in.close();
            } catch (IOException e) {
                // closing a read-only spill stream; nothing to recover
            }
        }
        open.clear();
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover temporary file is harmless
        }
    }

    /** Closes the spill files and deletes the temporary directory. */
    @Override
    public void close() {
        closeOpen();
        if (tempDir != null) {
            try (var files = Files.list(tempDir)) {
                files.forEach(RecordSorter::delete);
            } catch (IOException e) {
                // the directory is already gone
            }
            delete(tempDir);
        }
    }
}
