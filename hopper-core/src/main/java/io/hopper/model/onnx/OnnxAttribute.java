package io.hopper.model.onnx;

import java.util.List;
import java.util.Objects;

/**
 * One attribute of an ONNX node (onnx.proto's AttributeProto): an int, a float, a string, or a list of ints or floats.
 *
 * @param name the attribute's name, e.g. {@code kernel_shape}
 * @param type onnx.proto's AttributeType number
 * @param ints the value of an INT (one entry) or INTS attribute
 * @param floats the value of a FLOAT (one entry) or FLOATS attribute
 * @param string the value of a STRING attribute (else null)
 * @param strings the value of a STRINGS attribute
 */
public record OnnxAttribute(String name, int type, List<Long> ints, List<Float> floats, String string, List<String> strings) {
    static final int FLOAT = 1;
    static final int INT = 2;
    static final int STRING = 3;
    static final int FLOATS = 6;
    static final int INTS = 7;
    static final int STRINGS = 8;

    /** Validates the name and type and copies the lists. */
    public OnnxAttribute {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || !List.of(FLOAT, INT, STRING, FLOATS, INTS, STRINGS).contains(type)) {
            throw new IllegalArgumentException("ONNX attribute '" + name + "' of type " + type + ": give a name and a supported type");
        }
        ints = List.copyOf(ints);
        floats = List.copyOf(floats);
        strings = List.copyOf(strings);
    }

    /** An INT attribute. */
    public static OnnxAttribute of(String name, long value) {
        return new OnnxAttribute(name, INT, List.of(value), List.of(), null, List.of());
    }

    /** A FLOAT attribute. */
    public static OnnxAttribute of(String name, float value) {
        return new OnnxAttribute(name, FLOAT, List.of(), List.of(value), null, List.of());
    }

    /** A STRING attribute. */
    public static OnnxAttribute of(String name, String value) {
        return new OnnxAttribute(name, STRING, List.of(), List.of(), Objects.requireNonNull(value, "value"), List.of());
    }

    /** An INTS attribute. */
    public static OnnxAttribute ints(String name, long... values) {
        return new OnnxAttribute(name, INTS, java.util.Arrays.stream(values).boxed().toList(), List.of(), null, List.of());
    }

    /** A FLOATS attribute. */
    public static OnnxAttribute floats(String name, float... values) {
        java.util.List<Float> list = new java.util.ArrayList<>();
        for (float v : values) {
            list.add(v);
        }
        return new OnnxAttribute(name, FLOATS, List.of(), list, null, List.of());
    }

    /** A STRINGS attribute. */
    public static OnnxAttribute strings(String name, String... values) {
        return new OnnxAttribute(name, STRINGS, List.of(), List.of(), null, List.of(values));
    }
}
