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
 * Rows of a CSV file with a header line, in the source's {@link CsvDialect}: X is a list of numeric columns or one
 * column holding arrays such as {@code "{1.0,2.0}"} or {@code [1.0, 2.0]}; Y is any column (an empty field or the
 * dialect's null string is a missing value, NULL), or a column of arrays taken as already one-hot.
 */
final class CsvSource implements SampleSource {
    private final SourceSpec.Csv spec;
    private final List<String> x;
    private final String y;

    CsvSource(SourceSpec.Csv spec, List<String> x, String y) {
        this.spec = spec;
        this.x = List.copyOf(x);
        this.y = y;
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
    public String dependentVartype() {
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
            int[] xIdx = x.stream().mapToInt(name -> column(header, name)).toArray();
            int yIdx = column(header, y);
            double[] xs = new double[xIdx.length];
            int[] listShape = {xIdx.length};
            Boolean arrayX = null;
            Boolean arrayY = null;
            while (records.next(fields)) {
                long line = records.recordLine();
                if (fields.size() != header.size()) {
                    throw new IllegalArgumentException(what + ": line " + line + " has " + fields.size() + " fields but the header has "
                            + header.size() + "; give every row one value per header column");
                }
                if (arrayX == null) {
                    arrayX = xIdx.length == 1 && ArrayText.looksLikeArray(fields.get(xIdx[0]));
                    arrayY = ArrayText.looksLikeArray(fields.get(yIdx));
                }
                double[] rowX;
                int[] shape;
                if (arrayX) {
                    String s = fields.get(xIdx[0]);
                    requirePresent(s, x.get(0), line);
                    ArrayText.Parsed p = ArrayText.parse(s, what + ": column '" + x.get(0) + "' line " + line);
                    rowX = p.values();
                    shape = p.shape();
                } else {
                    for (int i = 0; i < xIdx.length; i++) {
                        String s = fields.get(xIdx[i]);
                        requirePresent(s, x.get(i), line);
                        double v = Numbers.parse(s);
                        if (Double.isNaN(v)) {
                            throw new IllegalArgumentException(what + ": column '" + x.get(i) + "' line " + line + " is not numeric ('"
                                    + Echo.of(shorten(s)) + "'); encode it first or leave it out of --independent-varname");
                        }
                        xs[i] = v;
                    }
                    rowX = xs;
                    shape = listShape;
                }
                String ys = fields.get(yIdx);
                if (arrayY) {
                    if (ys.isEmpty()) {
                        throw new IllegalArgumentException(what + ": column '" + y + "' line " + line
                                + " is empty but earlier rows hold one-hot arrays; give every row its Y array");
                    }
                    sink.accept(rowX, shape, null, ArrayText.parse(ys, what + ": column '" + y + "' line " + line).values(), line);
                } else {
                    sink.accept(rowX, shape, ys.isEmpty() ? null : ys, null, line);
                }
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
