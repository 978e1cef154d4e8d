package io.hopper.store;

import io.hopper.store.FileTableMeta.DataFile;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/** An open data file of a directory store table being written: a header, then numbered rows, with a running CRC-32C. */
final class DataFileWriter {
    /** The version of the row encoding inside data files (unchanged since format version 1). */
    static final int DATA_VERSION = 1;
    /** The buffer size of data file streams. */
    static final int IO_BUFFER = 1 << 16;

    private final Integer partition;
    private final FileOutputStream file;
    private final ChecksumOutput checked;
    private final DataOutputStream out;
    private long rows;

    DataFileWriter(Path dir, Integer partition) throws IOException {
        this.partition = partition;
        this.file = new FileOutputStream(dir.resolve(DataFile.fileName(partition)).toFile());
        this.checked = new ChecksumOutput(file);
        this.out = new DataOutputStream(new BufferedOutputStream(checked, IO_BUFFER));
        out.writeInt(RowCodec.MAGIC);
        out.writeInt(DATA_VERSION);
    }

    /** Appends a row with its number in the whole table (rows of all partitions are numbered in one sequence). */
    void write(long rowNumber, Schema schema, Row row) throws IOException {
        out.writeLong(rowNumber);
        RowCodec.write(out, schema, row);
        rows++;
    }

    /** Closes a file that is not to be kept (its directory is deleted). */
    void abandon() {
        try {
            out.close();
        } catch (IOException e) {
            // the staging directory goes anyway
        }
    }

    /** Flushes and syncs the file and says what it holds. */
    DataFile finish() throws IOException {
        out.flush();
        file.getFD().sync();
        out.close();
        return new DataFile(partition, rows, checked.crc.getValue());
    }

    /** An output stream that keeps the CRC-32C of the bytes written through it. */
    private static final class ChecksumOutput extends FilterOutputStream {
        private final Checksum crc = new CRC32C();

        ChecksumOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            crc.update(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            crc.update(b, off, len);
        }
    }
}
