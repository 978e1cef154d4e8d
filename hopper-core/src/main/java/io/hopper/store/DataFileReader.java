package io.hopper.store;

import io.hopper.store.FileTableMeta.DataFile;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/** Reads the rows of one data file of a directory store table, checking its CRC-32C at the end (and on any decoding error). */
final class DataFileReader implements Closeable {
    private final FileStore store;
    private final String table;
    private final Schema schema;
    private final Path file;
    private final DataFile entry;
    private final ChecksumInput checked;
    private final DataInputStream in;
    private final long size;
    private long remaining;
    private long rowNumber;
    private Row row;

    DataFileReader(FileStore store, String table, FileTableMeta meta, Path file, DataFile entry) throws NoSuchFileException {
        this.store = store;
        this.table = table;
        this.schema = meta.schema();
        this.file = file;
        this.entry = entry;
        this.remaining = entry.rows();
        try {
            InputStream raw = Files.newInputStream(file);
            this.size = Files.size(file);
            this.checked = new ChecksumInput(new BufferedInputStream(raw, DataFileWriter.IO_BUFFER));
            this.in = new DataInputStream(checked);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            throw store.damaged(table, file, "cannot open: " + e);
        }
        try {
            int magic = in.readInt();
            int version = in.readInt();
            if (magic != RowCodec.MAGIC || version != DataFileWriter.DATA_VERSION) {
                throw corrupt(magic != RowCodec.MAGIC ? "not a Hopper data file"
                        : "data file version " + version + " in a version " + meta.version() + " table");
            }
        } catch (IOException e) {
            close();
            throw corrupt(e.toString());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    boolean advance() {
        try {
            if (remaining == 0) {
                if (in.read() != -1) {
                    throw corrupt("it holds more rows than " + FileStore.META_FILE + " says");
                }
                if (entry.crc32c() != null && checked.crc.getValue() != entry.crc32c()) {
                    throw store.checksumMismatch(table, file);
                }
                return false;
            }
            rowNumber = in.readLong();
            row = RowCodec.read(in, schema, size);
            remaining--;
            return true;
        } catch (IOException e) {
            throw corrupt(e.toString());
        } catch (RuntimeException e) {
            if (e instanceof IllegalStateException && e.getMessage() != null && e.getMessage().contains(" is damaged: ")) {
                throw e;
            }
            throw corrupt(e.toString());
        }
    }

    /** The error for bytes that do not decode: a checksum mismatch when the file has one that differs. */
    private IllegalStateException corrupt(String why) {
        if (entry.crc32c() != null) {
            try {
                if (checked.finish() != entry.crc32c()) {
                    return store.checksumMismatch(table, file);
                }
            } catch (IOException e) {
                // report the decoding error
            }
        }
        return store.damaged(table, file, why);
    }

    long rowNumber() {
        return rowNumber;
    }

    Row row() {
        return row;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An input stream that keeps the CRC-32C and the count of the bytes read through it. */
    private static final class ChecksumInput extends FilterInputStream {
        private final Checksum crc = new CRC32C();
        private long count;

        ChecksumInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                crc.update(b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                crc.update(b, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[DataFileWriter.IO_BUFFER];
            long skipped = 0;
            while (skipped < n) {
                int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        /** Reads the rest of the file and returns the CRC-32C of all of it. */
        long finish() throws IOException {
            byte[] buffer = new byte[DataFileWriter.IO_BUFFER];
            while (read(buffer, 0, buffer.length) >= 0) {
                // counted by read
            }
            return crc.getValue();
        }
    }
}
