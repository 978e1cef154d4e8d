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
     * @param dependentVarnames the Y columns, one per output
     * @param independentVarnames the X groups, one per input
     * @param seed the shuffle seed, or null to keep the source order
     * @param training the training summary a validation table follows, else null
     * @param split the part of the rows that goes to a validation table packed in the same pass, else null (training
     *     jobs only)
     */
    record Job(SourceSpec source, String outputTable, List<String> dependentVarnames, List<List<String>> independentVarnames,
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
        SampleSource source = SampleSource.open(job.source(), store, job.independentVarnames(), job.dependentVarnames());
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
        private final int inputs;
        private final int outputs;
        /** Per output: class value -> id in first-seen order (training) or the training's order (validation). */
        private final List<Map<String, Integer>> classIds = new ArrayList<>();
        private final List<List<String>> classes = new ArrayList<>();
        private RecordSorter sorter;
        private RecordSorter validationSorter;
        private final SplittableRandom splitRandom;
        private int[][] shapes;
        private int[] dims;
        private int xValues;
        private boolean[] arrayY;
        private int[] yLength;
        private byte[] payload;

        Ingest(Job job, SampleSource source, long chunkBytes) {
            this.job = job;
            this.source = source;
            this.chunkBytes = chunkBytes;
            this.inputs = job.independentVarnames().size();
            this.outputs = job.dependentVarnames().size();
            this.random = job.seed() == null ? null : new SplittableRandom(job.seed());
            this.splitRandom = job.split() == null ? null : new SplittableRandom(job.seed() ^ SPLIT_SALT);
            for (int k = 0; k < outputs; k++) {
                Map<String, Integer> ids = new HashMap<>();
                if (job.training() != null) {
                    List<String> values = job.training().outputs().get(k).classValues();
                    for (int i = 0; i < values.size(); i++) {
                        ids.put(values.get(i), i);
                    }
                }
                classIds.add(ids);
                classes.add(new ArrayList<>());
            }
        }

        private String at(long position) {
            return source.describe() + ": " + source.positionWord() + " " + position;
        }

        private String yName(int k) {
            return job.dependentVarnames().get(k);
        }

        @Override
        public void accept(double[][] xs, int[][] rowShapes, String[] ys, double[][] yArrays, long position) {
            if (sorter == null) {
                first(rowShapes, yArrays, position);
            } else {
                for (int g = 0; g < inputs; g++) {
                    if (!Arrays.equals(rowShapes[g], shapes[g])) {
                        throw new IllegalArgumentException(at(position) + ": X" + group(g) + " has shape " + Arrays.toString(rowShapes[g])
                                + " but the first row's X" + group(g) + " has " + Arrays.toString(shapes[g]) + "; every row's X needs the same shape");
                    }
                }
            }
            double c = job.normalizingConst();
            int at = 0;
            for (int g = 0; g < inputs; g++) {
                double[] x = xs[g];
                for (int i = 0; i < dims[g]; i++) {
                    float f = c == 1.0 ? (float) x[i] : (float) (x[i] / c);
                    Bytes.putFloat(payload, at, Float.isInfinite(f) ? Numbers.float32(x[i], c, at(position)) : f);
                    at += 4;
                }
            }
            for (int k = 0; k < outputs; k++) {
                double[] yArray = yArrays[k];
                if (arrayY[k]) {
                    if (yArray == null || yArray.length != yLength[k]) {
                        throw new IllegalArgumentException(at(position) + ": Y '" + yName(k) + "' has "
                                + (yArray == null ? "no array" : yArray.length + " values") + " but the first row's has " + yLength[k]
                                + "; every row's one-hot Y needs the same length");
                    }
                    for (int i = 0; i < yLength[k]; i++) {
                        double v = yArray[i];
                        if (v != Math.rint(v) || Math.abs(v) > Short.MAX_VALUE) {
                            throw new IllegalArgumentException(at(position) + ": Y '" + yName(k) + "' holds " + v
                                    + ", not a one-hot value; give 0 and 1 (small integers) in a one-hot Y array");
                        }
                        Bytes.putShort(payload, at + 2 * i, (short) v);
                    }
                    at += 2 * yLength[k];
                } else {
                    if (yArray != null) {
                        throw new IllegalArgumentException(at(position) + ": Y '" + yName(k)
                                + "' is an array but the first row's is not; use one kind of Y");
                    }
                    Bytes.putInt(payload, at, classId(k, ys[k], position));
                    at += 4;
                }
            }
            if (splitRandom != null && splitRandom.nextDouble() < job.split().fraction()) {
                validationSorter.add(0, payload); // validation rows keep the source order, as preprocess-validation's
            } else {
                sorter.add(random == null ? 0 : random.nextLong() >>> 21, payload);
            }
        }

        /** How messages name X group g: nothing for a one-input table, else " group i (a,b)". */
        private String group(int g) {
            return inputs == 1 ? "" : " group " + g + " (" + String.join(",", job.independentVarnames().get(g)) + ")";
        }

        private void first(int[][] rowShapes, double[][] yArrays, long position) {
            shapes = new int[inputs][];
            dims = new int[inputs];
            long total = 0;
            for (int g = 0; g < inputs; g++) {
                shapes[g] = rowShapes[g].clone();
                long d = 1;
                for (int s : shapes[g]) {
                    d *= s;
                }
                total += d;
                if (total > Integer.MAX_VALUE / 4) {
                    throw new IllegalArgumentException(at(position) + ": X has " + total + " values per row; use at most " + Integer.MAX_VALUE / 4);
                }
                dims[g] = (int) d;
            }
            xValues = (int) total;
            arrayY = new boolean[outputs];
            yLength = new int[outputs];
            for (int k = 0; k < outputs; k++) {
                arrayY[k] = yArrays[k] != null;
                yLength[k] = arrayY[k] ? yArrays[k].length : 0;
            }
            PackedSummary t = job.training();
            if (t != null) {
                if (t.inputs().size() != inputs || t.outputs().size() != outputs) {
                    throw new IllegalArgumentException(source.describe() + ": " + inputs + " --independent-varname groups and " + outputs
                            + " --dependent-varname columns but training table '" + t.outputTable() + "' has " + t.describeIo()
                            + "; give the validation rows the training table's groups");
                }
                for (int g = 0; g < inputs; g++) {
                    if (!t.inputs().get(g).sampleShape().equals(Arrays.stream(shapes[g]).boxed().toList())) {
                        throw new IllegalArgumentException(at(position) + ": X" + group(g) + " has shape " + Arrays.toString(shapes[g])
                                + " but training table '" + t.outputTable() + "' has " + t.inputs().get(g).sampleShape()
                                + "; give the validation rows the training columns");
                    }
                }
                for (int k = 0; k < outputs; k++) {
                    if (arrayY[k] != t.outputs().get(k).oneHotInput()) {
                        throw new IllegalArgumentException(at(position) + ": Y '" + yName(k) + "' is "
                                + (arrayY[k] ? "a one-hot array" : "a class value") + " but training table '" + t.outputTable() + "' had "
                                + (arrayY[k] ? "class values" : "one-hot arrays") + "; give Y in the training table's form");
                    }
                }
            }
            int payloadBytes = 4 * xValues;
            for (int k = 0; k < outputs; k++) {
                payloadBytes += arrayY[k] ? 2 * yLength[k] : 4;
            }
            payload = new byte[payloadBytes];
            if (job.split() == null) {
                sorter = new RecordSorter(payloadBytes, chunkBytes);
            } else {
                sorter = new RecordSorter(payloadBytes, chunkBytes / 2);
                validationSorter = new RecordSorter(payloadBytes, chunkBytes / 2);
            }
        }

        private int classId(int k, String y, long position) {
            Integer id = classIds.get(k).get(y);
            if (id != null) {
                return id;
            }
            if (job.training() != null) {
                throw new IllegalArgumentException(at(position) + ": class value " + (y == null ? "NULL" : "'" + y + "'")
                        + " of '" + yName(k) + "' is not among the class values " + job.training().outputs().get(k).classValues()
                        + " of training table '" + job.training().outputTable() + "'; drop those rows or repack training with them");
            }
            List<String> seen = classes.get(k);
            if (seen.size() == MAX_CLASSES) {
                throw new IllegalArgumentException(at(position) + ": '" + yName(k) + "' has more than " + MAX_CLASSES
                        + " distinct values; Y must be a class label (or a one-hot array)");
            }
            id = seen.size();
            classIds.get(k).put(y, id);
            seen.add(y);
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
            List<PackedSummary.Output> outs = new ArrayList<>();
            int[][] remaps = new int[outputs][];
            for (int k = 0; k < outputs; k++) {
                List<String> classValues;
                int numClasses;
                if (t != null) {
                    classValues = t.outputs().get(k).classValues();
                    numClasses = t.outputs().get(k).numClasses();
                    if (arrayY[k] && yLength[k] > numClasses) {
                        throw new IllegalArgumentException(source.describe() + ": one-hot Y '" + yName(k) + "' has " + yLength[k]
                                + " values but training table '" + t.outputTable() + "' has " + numClasses + " classes; use the training width");
                    }
                } else if (arrayY[k]) {
                    classValues = List.of();
                    numClasses = requireNumClasses(k, yLength[k], "the length of the one-hot Y arrays");
                } else {
                    classValues = ClassValues.sorted(classes.get(k));
                    Map<String, Integer> index = new HashMap<>();
                    for (int i = 0; i < classValues.size(); i++) {
                        index.put(classValues.get(i), i);
                    }
                    int[] remap = new int[classes.get(k).size()];
                    for (int i = 0; i < remap.length; i++) {
                        remap[i] = index.get(classes.get(k).get(i));
                    }
                    remaps[k] = remap;
                    numClasses = requireNumClasses(k, classValues.size(), "the " + classValues.size() + " distinct values " + classValues);
                }
                String vartype = source.dependentVartype(k) != null ? source.dependentVartype(k)
                        : arrayY[k] ? "double precision[]" : ClassValues.inferVartype(classes.get(k));
                outs.add(new PackedSummary.Output(yName(k), vartype, classValues, numClasses));
            }
            List<PackedSummary.Input> ins = new ArrayList<>();
            for (int g = 0; g < inputs; g++) {
                ins.add(new PackedSummary.Input(job.independentVarnames().get(g), Arrays.stream(shapes[g]).boxed().toList()));
            }
            int version = PackedTables.formatVersion(inputs, outputs);
            BufferPlan plan = BufferPlan.of(rows, job.partitions(), xValues, job.bufferSize());
            PackedSummary summary = new PackedSummary(job.source().text(), job.outputTable(), ins, outs, plan.bufferSize(),
                    job.normalizingConst(), PackedSummary.ALL_SEGMENTS, job.partitions(), job.seed(), t == null ? null : t.outputTable(),
                    version, rows, plan.buffers());
            // the packed tables and their summaries appear together or not at all
            List<String> tables = new ArrayList<>(List.of(job.outputTable(), summaryTable));
            if (job.split() != null) {
                tables.add(job.split().outputTable());
                tables.add(PackedTables.summaryTable(job.split().outputTable()));
            }
            try (StoreOperation op = store.begin(tables)) {
                write(op, job.outputTable(), summaryTable, plan, summary, remaps, sorter);
                if (job.split() != null) {
                    // The validation part, as preprocess-validation would pack it against the table just written.
                    String v = job.split().outputTable();
                    long vRows = validationSorter.size();
                    BufferPlan vPlan = BufferPlan.of(vRows, job.partitions(), xValues, job.bufferSize());
                    PackedSummary validation = new PackedSummary(job.source().text(), v, ins, outs, vPlan.bufferSize(),
                            job.normalizingConst(), PackedSummary.ALL_SEGMENTS, job.partitions(), null, job.outputTable(),
                            version, vRows, vPlan.buffers());
                    write(op, v, PackedTables.summaryTable(v), vPlan, validation, remaps, validationSorter);
                }
                op.commit();
            }
            return summary;
        }

        private int requireNumClasses(int output, int distinct, String what) {
            Integer k = job.numClasses();
            if (k == null) {
                return distinct;
            }
            if (outputs > 1) {
                throw new IllegalArgumentException("--num-classes applies to one Y but there are " + outputs + " --dependent-varname "
                        + "columns " + job.dependentVarnames() + "; leave it out (each Y gets its number of distinct values)");
            }
            if (k < distinct) {
                throw new IllegalArgumentException("--num-classes " + k + " is below " + what + " of '" + yName(output)
                        + "'; use at least " + distinct + " or leave it out");
            }
            return k;
        }

        private void write(StoreOperation op, String table, String summaryTable, BufferPlan plan, PackedSummary summary, int[][] remaps,
                           RecordSorter records) {
            RecordSorter.Cursor cursor = records.sorted();
            int[] k = summary.numClassesList().stream().mapToInt(Integer::intValue).toArray();
            int[] xBytes = Arrays.stream(dims).map(d -> 4 * d).toArray();
            try (TableWriter writer = op.create(table, PackedTables.schema(inputs, outputs), PackedTables.PARTITION_COLUMN)) {
                for (int b = 0; b < plan.buffers(); b++) {
                    int n = plan.rowsIn(b);
                    byte[][] xb = new byte[inputs][];
                    byte[][] yb = new byte[outputs][];
                    for (int g = 0; g < inputs; g++) {
                        if ((long) n * xBytes[g] > MAX_BUFFER_BYTES) {
                            throw new IllegalArgumentException("--buffer-size: a buffer of " + n + " rows of " + xBytes[g] + " bytes of X"
                                    + " is over " + MAX_BUFFER_BYTES + " bytes, more than one packed value may hold; use a smaller --buffer-size");
                        }
                        xb[g] = new byte[n * xBytes[g]];
                    }
                    for (int o = 0; o < outputs; o++) {
                        if ((long) n * k[o] * 2 > MAX_BUFFER_BYTES) {
                            throw new IllegalArgumentException("--buffer-size: a buffer of " + n + " rows of " + k[o] + " classes"
                                    + " is over " + MAX_BUFFER_BYTES + " bytes, more than one packed value may hold; use a smaller --buffer-size");
                        }
                        yb[o] = new byte[n * k[o] * 2];
                    }
                    for (int r = 0; r < n; r++) {
                        if (!cursor.next()) {
                            throw new IllegalStateException("the spill holds fewer rows than were read; was the temporary directory changed?");
                        }
                        byte[] buf = cursor.buffer();
                        int off = cursor.offset();
                        for (int g = 0; g < inputs; g++) {
                            System.arraycopy(buf, off, xb[g], r * xBytes[g], xBytes[g]);
                            off += xBytes[g];
                        }
                        for (int o = 0; o < outputs; o++) {
                            if (arrayY[o]) {
                                System.arraycopy(buf, off, yb[o], r * k[o] * 2, 2 * yLength[o]);
                                off += 2 * yLength[o];
                            } else {
                                int id = Bytes.getInt(buf, off);
                                Bytes.putShort(yb[o], 2 * (r * k[o] + (remaps[o] == null ? id : remaps[o][id])), (short) 1);
                                off += 4;
                            }
                        }
                    }
                    List<Object> values = new ArrayList<>(2 + 2 * (inputs + outputs));
                    values.add(plan.partitionOf(b));
                    values.addAll(Arrays.asList(xb));
                    values.addAll(Arrays.asList(yb));
                    for (int g = 0; g < inputs; g++) {
                        List<Integer> xShape = new ArrayList<>(shapes[g].length + 1);
                        xShape.add(n);
                        Arrays.stream(shapes[g]).forEach(xShape::add);
                        values.add(xShape);
                    }
                    for (int o = 0; o < outputs; o++) {
                        values.add(List.of(n, k[o]));
                    }
                    values.add(b);
                    writer.add(Row.of(values));
                }
                writer.commit();
                op.write(summaryTable, PackedTables.summarySchema(summary), List.of(PackedTables.summaryRow(summary)));
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
