package io.hopper.data;

import io.hopper.store.Row;
import io.hopper.store.Store;
import io.hopper.store.StoreOperation;
import io.hopper.store.TableWriter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The preprocessing both preprocessors share: read the source once (collecting the class values and the row
 * count, converting X to float32, spilling fixed-size records), sort the records by a random key from the seed
 * (training) or keep their order (validation), and pack buffers straight into the store's table writer.
 */
final class Packer {
    /** The most bytes one packed x or y value may have (a Java array, and PostgreSQL's 1 GB field limit). */
    static final long MAX_BUFFER_BYTES = (1L << 30) - 1;

    /** The most distinct class values a Y may have: the dictionary of class values is held in memory. */
    static final int MAX_CLASSES = 100_000;

    /**
     * One packing job.
     *
     * @param seed the shuffle seed, or null to keep the source order
     * @param training the training summary a validation table follows, else null
     * @param split the part of the rows that goes to a validation table packed in the same pass, else null (training
     *     jobs only)
     */
    record Job(SourceSpec source, String outputTable, String dependentVarname, List<String> independentVarname,
               Integer bufferSize, double normalizingConst, Integer numClasses, int partitions, Long seed,
               PackedSummary training, TrainingPreprocessSpec.ValidationSplit split) {
        Job {
            if (split != null && (seed == null || training != null)) {
                throw new IllegalStateException("a validation split needs a training job with a seed");
            }
        }
    }

    /** The salt that separates the split's random draws from the shuffle's, both from the job's seed. */
    private static final long SPLIT_SALT = 0x5EED_5A17_C0FFEEL;

    private Packer() {
    }

    /** The memory for the in-memory chunk of records: an eighth of the heap, between 1 MiB and 64 MiB. */
    static long defaultChunkBytes() {
        return Math.max(1L << 20, Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 8));
    }

    /** Runs a job and returns the summary it wrote. */
    static PackedSummary run(Store store, Job job) {
        String summaryTable = PackedTables.summaryTable(job.outputTable());
        for (String t : List.of(job.outputTable(), summaryTable)) {
            if (store.exists(t)) {
                throw new IllegalArgumentException("--output-table '" + job.outputTable() + "': table '" + t + "' already exists in "
                        + store.describe() + "; drop it or choose another name");
            }
        }
        if (job.split() != null) {
            String v = job.split().outputTable();
            for (String t : List.of(v, PackedTables.summaryTable(v))) {
                if (store.exists(t)) {
                    throw new IllegalArgumentException("--validation-output-table '" + v + "': table '" + t + "' already exists in "
                            + store.describe() + "; drop it or choose another name");
                }
            }
        }
        SampleSource source = SampleSource.open(job.source(), store, job.independentVarname(), job.dependentVarname());
        try (Ingest ingest = new Ingest(job, source, defaultChunkBytes())) {
            source.read(ingest);
            return ingest.finish(store, summaryTable);
        }
    }

    /** The sink that checks and spills rows, then packs them. */
    private static final class Ingest implements SampleSink, AutoCloseable {
        private final Job job;
        private final SampleSource source;
        private final long chunkBytes;
        private final SplittableRandom random;
        private final Map<String, Integer> classIds = new HashMap<>();
        private final List<String> classes = new ArrayList<>();
        private RecordSorter sorter;
        private RecordSorter validationSorter;
        private final SplittableRandom splitRandom;
        private int[] shape;
        private int dims;
        private boolean arrayY;
        private int yLength;
        private byte[] payload;

        Ingest(Job job, SampleSource source, long chunkBytes) {
            this.job = job;
            this.source = source;
            this.chunkBytes = chunkBytes;
            this.random = job.seed() == null ? null : new SplittableRandom(job.seed());
            this.splitRandom = job.split() == null ? null : new SplittableRandom(job.seed() ^ SPLIT_SALT);
            if (job.training() != null) {
                for (int i = 0; i < job.training().classValues().size(); i++) {
                    classIds.put(job.training().classValues().get(i), i);
                }
            }
        }

        private String at(long position) {
            return source.describe() + ": " + source.positionWord() + " " + position;
        }

        @Override
        public void accept(double[] x, int[] rowShape, String y, double[] yArray, long position) {
            if (sorter == null) {
                first(rowShape, yArray, position);
            } else if (!Arrays.equals(rowShape, shape)) {
                throw new IllegalArgumentException(at(position) + ": X has shape " + Arrays.toString(rowShape) + " but the first row's X has "
                        + Arrays.toString(shape) + "; every row's X needs the same shape");
            }
            double c = job.normalizingConst();
            for (int i = 0; i < dims; i++) {
                float f = c == 1.0 ? (float) x[i] : (float) (x[i] / c);
                Bytes.putFloat(payload, 4 * i, Float.isInfinite(f) ? Numbers.float32(x[i], c, at(position)) : f);
            }
            int at = 4 * dims;
            if (arrayY) {
                if (yArray == null || yArray.length != yLength) {
                    throw new IllegalArgumentException(at(position) + ": Y '" + job.dependentVarname() + "' has "
                            + (yArray == null ? "no array" : yArray.length + " values") + " but the first row's has " + yLength
                            + "; every row's one-hot Y needs the same length");
                }
                for (int i = 0; i < yLength; i++) {
                    double v = yArray[i];
                    if (v != Math.rint(v) || Math.abs(v) > Short.MAX_VALUE) {
                        throw new IllegalArgumentException(at(position) + ": Y '" + job.dependentVarname() + "' holds " + v
                                + ", not a one-hot value; give 0 and 1 (small integers) in a one-hot Y array");
                    }
                    Bytes.putShort(payload, at + 2 * i, (short) v);
                }
            } else {
                if (yArray != null) {
                    throw new IllegalArgumentException(at(position) + ": Y '" + job.dependentVarname()
                            + "' is an array but the first row's is not; use one kind of Y");
                }
                Bytes.putInt(payload, at, classId(y, position));
            }
            if (splitRandom != null && splitRandom.nextDouble() < job.split().fraction()) {
                validationSorter.add(0, payload); // validation rows keep the source order, as preprocess-validation's
            } else {
                sorter.add(random == null ? 0 : random.nextLong() >>> 21, payload);
            }
        }

        private void first(int[] rowShape, double[] yArray, long position) {
            shape = rowShape.clone();
            long d = 1;
            for (int s : shape) {
                d *= s;
            }
            if (d > Integer.MAX_VALUE / 4) {
                throw new IllegalArgumentException(at(position) + ": X has " + d + " values per row; use at most " + Integer.MAX_VALUE / 4);
            }
            dims = (int) d;
            arrayY = yArray != null;
            yLength = arrayY ? yArray.length : 0;
            PackedSummary t = job.training();
            if (t != null) {
                if (!t.sampleShape().equals(Arrays.stream(shape).boxed().toList())) {
                    throw new IllegalArgumentException(at(position) + ": X has shape " + Arrays.toString(shape) + " but training table '"
                            + t.outputTable() + "' has " + t.sampleShape() + "; give the validation rows the training columns");
                }
                if (arrayY != t.oneHotInput()) {
                    throw new IllegalArgumentException(at(position) + ": Y '" + job.dependentVarname() + "' is "
                            + (arrayY ? "a one-hot array" : "a class value") + " but training table '" + t.outputTable() + "' had "
                            + (arrayY ? "class values" : "one-hot arrays") + "; give Y in the training table's form");
                }
            }
            int payloadBytes = 4 * dims + (arrayY ? 2 * yLength : 4);
            payload = new byte[payloadBytes];
            if (job.split() == null) {
                sorter = new RecordSorter(payloadBytes, chunkBytes);
            } else {
                sorter = new RecordSorter(payloadBytes, chunkBytes / 2);
                validationSorter = new RecordSorter(payloadBytes, chunkBytes / 2);
            }
        }

        private int classId(String y, long position) {
            Integer id = classIds.get(y);
            if (id != null) {
                return id;
            }
            if (job.training() != null) {
                throw new IllegalArgumentException(at(position) + ": class value " + (y == null ? "NULL" : "'" + y + "'")
                        + " of '" + job.dependentVarname() + "' is not among the class values " + job.training().classValues()
                        + " of training table '" + job.training().outputTable() + "'; drop those rows or repack training with them");
            }
            if (classes.size() == MAX_CLASSES) {
                throw new IllegalArgumentException(at(position) + ": '" + job.dependentVarname() + "' has more than " + MAX_CLASSES
                        + " distinct values; Y must be a class label (or a one-hot array)");
            }
            id = classes.size();
            classIds.put(y, id);
            classes.add(y);
            return id;
        }

        PackedSummary finish(Store store, String summaryTable) {
            if (sorter == null) {
                throw new IllegalArgumentException(source.describe() + " has no rows; give at least one row to pack");
            }
            long rows = sorter.size();
            if (job.split() != null && (rows == 0 || validationSorter.size() == 0)) {
                throw new IllegalArgumentException("--validation-fraction " + job.split().fraction() + " leaves " + rows + " training and "
                        + validationSorter.size() + " validation rows of the " + (rows + validationSorter.size()) + " in "
                        + source.describe() + "; both parts need rows: choose a fraction nearer 0.5 or give more rows");
            }
            PackedSummary t = job.training();
            List<String> classValues;
            int[] remap;
            int numClasses;
            if (t != null) {
                classValues = t.classValues();
                numClasses = t.numClasses();
                remap = null;
                if (arrayY && yLength > numClasses) {
                    throw new IllegalArgumentException(source.describe() + ": one-hot Y '" + job.dependentVarname() + "' has " + yLength
                            + " values but training table '" + t.outputTable() + "' has " + numClasses + " classes; use the training width");
                }
            } else if (arrayY) {
                classValues = List.of();
                remap = null;
                numClasses = requireNumClasses(yLength, "the length of the one-hot Y arrays");
            } else {
                classValues = ClassValues.sorted(classes);
                Map<String, Integer> index = new HashMap<>();
                for (int i = 0; i < classValues.size(); i++) {
                    index.put(classValues.get(i), i);
                }
                remap = new int[classes.size()];
                for (int i = 0; i < remap.length; i++) {
                    remap[i] = index.get(classes.get(i));
                }
                numClasses = requireNumClasses(classValues.size(), "the " + classValues.size() + " distinct values " + classValues);
            }
            String vartype = source.dependentVartype() != null ? source.dependentVartype()
                    : arrayY ? "double precision[]" : ClassValues.inferVartype(classes);
            BufferPlan plan = BufferPlan.of(rows, job.partitions(), dims, job.bufferSize());
            PackedSummary summary = new PackedSummary(job.source().text(), job.outputTable(), job.dependentVarname(),
                    String.join(",", job.independentVarname()), vartype, classValues, plan.bufferSize(), job.normalizingConst(),
                    numClasses, PackedSummary.ALL_SEGMENTS, job.partitions(), job.seed(), t == null ? null : t.outputTable(),
                    PackedTables.FORMAT_VERSION, Arrays.stream(shape).boxed().toList(), rows, plan.buffers());
            // the packed tables and their summaries appear together or not at all
            List<String> tables = new ArrayList<>(List.of(job.outputTable(), summaryTable));
            if (job.split() != null) {
                tables.add(job.split().outputTable());
                tables.add(PackedTables.summaryTable(job.split().outputTable()));
            }
            try (StoreOperation op = store.begin(tables)) {
                write(op, job.outputTable(), summaryTable, plan, summary, remap, sorter);
                if (job.split() != null) {
                    // The validation part, as preprocess-validation would pack it against the table just written.
                    String v = job.split().outputTable();
                    long vRows = validationSorter.size();
                    BufferPlan vPlan = BufferPlan.of(vRows, job.partitions(), dims, job.bufferSize());
                    PackedSummary validation = new PackedSummary(job.source().text(), v, job.dependentVarname(),
                            summary.independentVarname(), vartype, classValues, vPlan.bufferSize(), job.normalizingConst(),
                            numClasses, PackedSummary.ALL_SEGMENTS, job.partitions(), null, job.outputTable(),
                            PackedTables.FORMAT_VERSION, summary.sampleShape(), vRows, vPlan.buffers());
                    write(op, v, PackedTables.summaryTable(v), vPlan, validation, remap, validationSorter);
                }
                op.commit();
            }
            return summary;
        }

        private int requireNumClasses(int distinct, String what) {
            Integer k = job.numClasses();
            if (k == null) {
                return distinct;
            }
            if (k < distinct) {
                throw new IllegalArgumentException("--num-classes " + k + " is below " + what + " of '" + job.dependentVarname()
                        + "'; use at least " + distinct + " or leave it out");
            }
            return k;
        }

        private void write(StoreOperation op, String table, String summaryTable, BufferPlan plan, PackedSummary summary, int[] remap,
                           RecordSorter records) {
            int k = summary.numClasses();
            List<Integer> sample = summary.sampleShape();
            RecordSorter.Cursor cursor = records.sorted();
            int xBytes = 4 * dims;
            try (TableWriter writer = op.create(table, PackedTables.SCHEMA, PackedTables.PARTITION_COLUMN)) {
                for (int b = 0; b < plan.buffers(); b++) {
                    int n = plan.rowsIn(b);
                    if ((long) n * xBytes > MAX_BUFFER_BYTES || (long) n * k * 2 > MAX_BUFFER_BYTES) {
                        throw new IllegalArgumentException("--buffer-size: a buffer of " + n + " rows of " + xBytes + " bytes of X"
                                + " is over " + MAX_BUFFER_BYTES + " bytes, more than one packed value may hold; use a smaller --buffer-size");
                    }
                    byte[] xb = new byte[n * xBytes];
                    byte[] yb = new byte[n * k * 2];
                    for (int r = 0; r < n; r++) {
                        if (!cursor.next()) {
                            throw new IllegalStateException("the spill holds fewer rows than were read; was the temporary directory changed?");
                        }
                        byte[] buf = cursor.buffer();
                        int off = cursor.offset();
                        System.arraycopy(buf, off, xb, r * xBytes, xBytes);
                        if (arrayY) {
                            System.arraycopy(buf, off + xBytes, yb, r * k * 2, 2 * yLength);
                        } else {
                            int id = Bytes.getInt(buf, off + xBytes);
                            Bytes.putShort(yb, 2 * (r * k + (remap == null ? id : remap[id])), (short) 1);
                        }
                    }
                    List<Integer> xShape = new ArrayList<>(sample.size() + 1);
                    xShape.add(n);
                    xShape.addAll(sample);
                    writer.add(Row.of(plan.partitionOf(b), xb, yb, xShape, List.of(n, k), b));
                }
                writer.commit();
                op.write(summaryTable, PackedTables.SUMMARY_SCHEMA, List.of(PackedTables.summaryRow(summary)));
            }
        }

        @Override
        public void close() {
            if (sorter != null) {
                sorter.close();
            }
            if (validationSorter != null) {
                validationSorter.close();
            }
        }
    }
}
