package io.hopper.data;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/** MADlib's order of class values: a missing value (null) first, then numerically when all are numbers, else as text. */
final class ClassValues {
    private ClassValues() {
    }

    /** The values in class order; the result may hold one null, so it is unmodifiable but not a List.copyOf. */
    static List<String> sorted(Collection<String> values) {
        List<String> present = new ArrayList<>();
        boolean hasNull = false;
        for (String v : values) {
            if (v == null) {
                hasNull = true;
            } else {
                present.add(v);
            }
        }
        if (allNumeric(present)) {
            present.sort(Comparator.<String, BigDecimal>comparing(BigDecimal::new).thenComparing(Comparator.naturalOrder()));
        } else {
            Collections.sort(present);
        }
        List<String> out = new ArrayList<>(present.size() + 1);
        if (hasNull) {
            out.add(null);
        }
        out.addAll(present);
        return Collections.unmodifiableList(out);
    }

    /** The SQL type that fits the values: integer, double precision or text (MADlib's dependent_vartype). */
    static String inferVartype(Collection<String> values) {
        List<String> present = values.stream().filter(v -> v != null).toList();
        if (present.isEmpty() || !allNumeric(present)) {
            return "text";
        }
        boolean integral = present.stream().allMatch(v -> {
            BigDecimal d = new BigDecimal(v);
            return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
        });
        return integral ? "integer" : "double precision";
    }

    private static boolean allNumeric(List<String> values) {
        return values.stream().allMatch(Numbers::isNumber);
    }
}
