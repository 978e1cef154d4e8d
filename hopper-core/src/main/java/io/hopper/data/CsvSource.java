package io.hopper.data;

import java.nio.charset.CodingErrorAction;

import io.hopper.Echo;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows of a CSV file with a header line, in the source's {@link CsvDialect}: each X group is a list of numeric
 * columns or one column holding arrays such as {@code "{1.0,2.0}"} or {@code [1.0, 2.0]}; each Y is any column (an
 * empty field or the dialect's null string is a missing value, NULL), or a column of arrays taken as already one-hot.
 */
final class CsvSource implements SampleSource {
    private final SourceSpec.Csv spec;
    private final List<List<String>> x;
    private final List<String> y;

    CsvSource(SourceSpec.Csv spec, List<List<String>> x, List<String> y) {
        this.spec = spec;
        this.x = x.stream().map(List::copyOf).toList();
        this.y = List.copyOf(y);
    }

    @Override
    public String describe() {
        return spec.text();
    }

    @Override
    public String positionWord() {
        return "line";
    }

    @Override
    public String dependentVartype(int k) {
        return null;
    }

    @Override
    public void read(SampleSink sink) {
        String what = describe();
        CsvRecords records = null;
        try (InputStream in = InputFiles.open(what, spec.path());
             Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                     .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT))) {
            records = new CsvRecords(reader, what, spec.dialect());
            List<String> fields = new ArrayList<>();
            if (!records.next(fields)) {
                throw new IllegalArgumentException(what + ": the file is empty; it needs a header line and at least one row");
            }
            List<String> header = List.copyOf(fields);
            requireDistinct(header);
            int groups = x.size();
            int[][] xIdx = new int[groups][];
            double[][] scalars = new double[groups][];
            int[][] listShapes = new int[groups][];
            for (int g = 0; g < groups; g++) {
                xIdx[g] = x.get(g).stream().mapToInt(name -> column(header, name)).toArray();
                scalars[g] = new double[xIdx[g].length];
                listShapes[g] = new int[] {xIdx[g].length};
            }
            int[] yIdx = y.stream().mapToInt(name -> column(header, name)).toArray();
            double[][] rowX = new double[groups][];
            int[][] shapes = new int[groups][];
            String[] ys = new String[yIdx.length];
            double[][] yArrays = new double[yIdx.length][];
            boolean[] arrayX = null;
            boolean[] arrayY = null;
            while (records.next(fields)) {
                long line = records.recordLine();
                if (fields.size() != header.size()) {
                    throw new IllegalArgumentException(what + ": line " + line + " has " + fields.size() + " fields but the header has "
                            + header.size() + "; give every row one value per header column");
                }
                if (arrayX == null) {
                    arrayX = new boolean[groups];
                    for (int g = 0; g < groups; g++) {
                        arrayX[g] = xIdx[g].length == 1 && ArrayText.looksLikeArray(fields.get(xIdx[g][0]));
                    }
                    arrayY = new boolean[yIdx.length];
                    for (int k = 0; k < yIdx.length; k++) {
                        arrayY[k] = ArrayText.looksLikeArray(fields.get(yIdx[k]));
                    }
                }
                for (int g = 0; g < groups; g++) {
                    List<String> names = x.get(g);
                    if (arrayX[g]) {
                        String s = fields.get(xIdx[g][0]);
                        requirePresent(s, names.get(0), line);
                        ArrayText.Parsed p = ArrayText.parse(s, what + ": column '" + names.get(0) + "' line " + line);
                        rowX[g] = p.values();
                        shapes[g] = p.shape();
                    } else {
                        for (int i = 0; i < xIdx[g].length; i++) {
                            String s = fields.get(xIdx[g][i]);
                            requirePresent(s, names.get(i), line);
                            double v = Numbers.parse(s);
                            if (Double.isNaN(v)) {
                                throw new IllegalArgumentException(what + ": column '" + names.get(i) + "' line " + line
                                        + " is not numeric ('" + Echo.of(shorten(s)) + "'); encode it first or leave it out of --independent-varname");
                            }
                            scalars[g][i] = v;
                        }
                        rowX[g] = scalars[g];
                        shapes[g] = listShapes[g];
                    }
                }
                for (int k = 0; k < yIdx.length; k++) {
                    String s = fields.get(yIdx[k]);
                    if (arrayY[k]) {
                        if (s.isEmpty()) {
                            throw new IllegalArgumentException(what + ": column '" + y.get(k) + "' line " + line
                                    + " is empty but earlier rows hold one-hot arrays; give every row its Y array");
                        }
                        ys[k] = null;
                        yArrays[k] = ArrayText.parse(s, what + ": column '" + y.get(k) + "' line " + line).values();
                    } else {
                        ys[k] = s.isEmpty() ? null : s;
                        yArrays[k] = null;
                    }
                }
                sink.accept(rowX, shapes, ys, yArrays, line);
            }
        } catch (IOException e) {
            throw InputFiles.failure(what, spec.path(), "at line " + (records == null ? 1 : records.recordLine()), e);
        }
    }

    private void requirePresent(String s, String column, long line) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException(describe() + ": column '" + column + "' line " + line
                    + " is empty (NULL); X needs every value: fill or drop the row");
        }
    }

    private int column(List<String> header, String name) {
        int i = header.indexOf(name);
        if (i < 0 && header.stream().anyMatch(Numbers::isNumber)) {
            throw new IllegalArgumentException(describe() + ": the first line has no column names (it looks like data: '"
                    + Echo.of(shorten(String.join(",", header))) + "'); add a header line naming the columns");
        }
        if (i < 0) {
            throw new IllegalArgumentException(describe() + ": no column '" + Echo.of(name) + "' in the header ("
                    + Echo.of(String.join(", ", header)) + "); use one of those");
        }
        return i;
    }

    /** Refuses a header that names a column twice: which of the two a name means would be a guess. */
    private void requireDistinct(List<String> header) {
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            Integer first = seen.putIfAbsent(header.get(i), i);
            if (first != null) {
                throw new IllegalArgumentException(describe() + ": the header names column '" + Echo.of(header.get(i))
                        + "' twice (fields " + (first + 1) + " and " + (i + 1) + "); rename one so every column name is unique");
            }
        }
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
