package io.hopper.data;

import io.hopper.store.TableNames;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the raw rows of a preprocessing run come from, parsed from the command line's {@code --source SRC}:
 * {@code csv:PATH}, {@code idx:IMAGES,LABELS}, {@code table:NAME} or {@code sql:SELECT ...}.
 */
public sealed interface SourceSpec {

    /** The SRC text this source was parsed from, as stored in the summary's source_table column. */
    String text();

    /**
     * Parses SRC.
     *
     * @param src the text, e.g. {@code csv:data/iris.csv}
     * @return the source
     * @throws IllegalArgumentException with one line naming SRC and the expected forms
     */
    static SourceSpec parse(String src) {
        if (src == null || src.isBlank()) {
            throw new IllegalArgumentException("--source is empty; use csv:PATH, idx:IMAGES,LABELS, table:NAME or sql:SELECT ...");
        }
        int colon = src.indexOf(':');
        String kind = colon < 0 ? src : src.substring(0, colon);
        String rest = colon < 0 ? "" : src.substring(colon + 1).trim();
        switch (kind) {
            case "csv" -> {
                requireNonEmpty(src, rest, "csv:PATH");
                return new Csv(Path.of(rest));
            }
            case "idx" -> {
                int comma = rest.indexOf(',');
                if (comma <= 0 || comma == rest.length() - 1 || rest.indexOf(',', comma + 1) >= 0) {
                    throw new IllegalArgumentException("--source '" + src + "': an idx source names two files; use idx:IMAGES_PATH,LABELS_PATH");
                }
                return new Idx(Path.of(rest.substring(0, comma).trim()), Path.of(rest.substring(comma + 1).trim()));
            }
            case "table" -> {
                requireNonEmpty(src, rest, "table:NAME");
                TableNames.requireTable(rest);
                return new Table(rest);
            }
            case "sql" -> {
                requireNonEmpty(src, rest, "sql:SELECT ...");
                return new Sql(rest);
            }
            default -> throw new IllegalArgumentException("--source '" + src + "': unknown source kind '" + kind
                    + "'; use csv:PATH, idx:IMAGES,LABELS, table:NAME or sql:SELECT ..."
                    + (colon < 0 && looksLikeFile(src) ? "; did you mean csv:" + src + "?" : ""));
        }
    }

    /**
     * Whether a name without a source kind looks like a file path rather than a table name: it holds a path separator
     * or ends in a file extension such as {@code .csv}, {@code .tsv} or {@code .gz}.
     */
    static boolean looksLikeFile(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        return text.indexOf('/') >= 0 || text.indexOf('\\') >= 0
                || lower.matches(".*\\.(csv|tsv|txt|gz)");
    }

    private static void requireNonEmpty(String src, String rest, String form) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("--source '" + src + "': nothing after the colon; use " + form);
        }
    }

    /**
     * This source read with a CSV dialect: a {@code csv:} source gets it; any other source refuses a dialect other
     * than {@link CsvDialect#DEFAULT}, since {@code --csv-delimiter} and {@code --null-string} apply to CSV files only.
     *
     * @param dialect the delimiter and null string of the command line
     */
    default SourceSpec withCsvDialect(CsvDialect dialect) {
        if (this instanceof Csv csv) {
            return new Csv(csv.path(), dialect);
        }
        if (!dialect.equals(CsvDialect.DEFAULT)) {
            throw new IllegalArgumentException("--csv-delimiter and --null-string apply to csv:PATH sources, not to '" + text()
                    + "'; leave them out");
        }
        return this;
    }

    /**
     * A CSV file with a header line (RFC 4180; gzip detected by its magic bytes).
     *
     * @param path the file
     * @param dialect its delimiter and null string
     */
    record Csv(Path path, CsvDialect dialect) implements SourceSpec {
        /** Checks the path and dialect are given. */
        public Csv {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(dialect, "dialect");
        }

        /** A comma-separated file where only empty fields are missing. */
        public Csv(Path path) {
            this(path, CsvDialect.DEFAULT);
        }

        @Override
        public String text() {
            return "csv:" + path;
        }
    }

    /**
     * A pair of IDX files (images 0x00000803, labels 0x00000801), gzip or plain.
     *
     * @param images the images file
     * @param labels the labels file
     */
    record Idx(Path images, Path labels) implements SourceSpec {
        /** Checks both paths are given. */
        public Idx {
            Objects.requireNonNull(images, "images");
            Objects.requireNonNull(labels, "labels");
        }

        @Override
        public String text() {
            return "idx:" + images + "," + labels;
        }
    }

    /**
     * A table of raw rows in the store.
     *
     * @param table the table name, an identifier
     */
    record Table(String table) implements SourceSpec {
        /** Checks the name is an identifier. */
        public Table {
            TableNames.requireTable(table);
        }

        @Override
        public String text() {
            return "table:" + table;
        }
    }

    /**
     * A query on a PostgreSQL store, run read-only.
     *
     * @param query one SELECT statement
     */
    record Sql(String query) implements SourceSpec {
        /** Checks the query is given. */
        public Sql {
            Objects.requireNonNull(query, "query");
        }

        @Override
        public String text() {
            return "sql:" + query;
        }
    }
}
