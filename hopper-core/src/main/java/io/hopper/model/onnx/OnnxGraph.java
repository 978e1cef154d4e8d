package io.hopper.model.onnx;

import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An ONNX graph under construction (float32 tensors, a symbolic batch dimension) and its serialization as an ONNX
 * ModelProto, written field by field with protobuf-java's {@link CodedOutputStream} from onnx.proto's field numbers.
 *
 * <p>Names are unique within the graph: {@link #fresh} derives new ones. Nodes must be added in an order where
 * every node comes after the nodes producing its inputs (ONNX requires a topologically sorted graph).
 */
public final class OnnxGraph {
    /** The opset of the default domain the written models import. */
    public static final long OPSET = 17;
    /** The IR version matching {@link #OPSET} (ONNX 1.12). */
    public static final long IR_VERSION = 8;
    /** The name of the symbolic batch dimension. */
    public static final String BATCH = "batch";

    private static final int FLOAT = 1;
    private static final int INT64 = 7;

    private record Node(String op, List<String> inputs, List<String> outputs, String name, List<OnnxAttribute> attributes) {
    }

    private record Tensor(String name, long[] dims, int type, float[] floats, long[] longs) {
    }

    private record Value(String name, long[] dims) {
    }

    private final String name;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Tensor> initializers = new ArrayList<>();
    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final Set<String> reserved = new HashSet<>();
    private int counter;

    /** An empty graph with this name. */
    public OnnxGraph(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** A name not yet used in this graph, derived from {@code base}. */
    public String fresh(String base) {
        String clean = base.replaceAll("[^A-Za-z0-9_/.:-]", "_");
        String n = clean;
        while (names.contains(n)) {
            n = clean + "_" + (++counter);
        }
        names.add(n);
        return n;
    }

    private String claim(String n) {
        if (!names.add(n)) {
            throw new IllegalArgumentException("ONNX graph '" + name + "': the name '" + n + "' is used twice; give every tensor a unique name");
        }
        return n;
    }

    /** Reserves a name for a later {@link #output} so that no tensor built before takes it. */
    public void reserve(String outputName) {
        reserved.add(claim(outputName));
    }

    /** Declares a float input; -1 in {@code dims} is the symbolic batch (or another unknown) dimension. */
    public String input(String inputName, long... dims) {
        inputs.add(new Value(claim(inputName), dims.clone()));
        return inputName;
    }

    /** Declares tensor {@code tensor} as a float output named {@code outputName} (through an Identity node). */
    public String output(String outputName, String tensor, long... dims) {
        node("Identity", List.of(tensor), List.of(reserved.remove(outputName) ? outputName : claim(outputName)));
        outputs.add(new Value(outputName, dims.clone()));
        return outputName;
    }

    /** A float constant (an initializer) with a fresh name derived from {@code base}; returns its name. */
    public String constant(String base, long[] dims, float[] values) {
        long size = 1;
        for (long d : dims) {
            size *= d;
        }
        if (size != values.length) {
            throw new IllegalArgumentException("ONNX constant '" + base + "': " + values.length + " values for shape "
                    + java.util.Arrays.toString(dims) + "; pass one value per element");
        }
        String n = fresh(base);
        initializers.add(new Tensor(n, dims.clone(), FLOAT, values.clone(), null));
        return n;
    }

    /** A float scalar constant. */
    public String scalar(String base, float value) {
        return constant(base, new long[0], new float[] {value});
    }

    /** A one-dimensional int64 constant (shapes, axes, pads, slice bounds). */
    public String longs(String base, long... values) {
        String n = fresh(base);
        initializers.add(new Tensor(n, new long[] {values.length}, INT64, null, values.clone()));
        return n;
    }

    /** Adds a node with one output named from {@code base}; returns the output's name. */
    public String op(String op, String base, List<String> in, OnnxAttribute... attributes) {
        String out = fresh(base);
        node(op, in, List.of(out), attributes);
        return out;
    }

    /** Adds a node with these outputs (already named, e.g. by {@link #fresh}). */
    public void node(String op, List<String> in, List<String> out, OnnxAttribute... attributes) {
        nodes.add(new Node(op, List.copyOf(in), List.copyOf(out), fresh(op + "_node"), List.of(attributes)));
    }

    /** The model file: this graph with opset {@link #OPSET}, the producer and metadata properties. */
    public byte[] toModel(String producer, String producerVersion, Map<String, String> metadata) {
        Proto model = new Proto();
        model.int64(1, IR_VERSION);
        model.string(2, producer);
        model.string(3, producerVersion);
        model.message(7, graph());
        Proto opset = new Proto();
        opset.string(1, "");
        opset.int64(2, OPSET);
        model.message(8, opset);
        for (Map.Entry<String, String> e : new LinkedHashMap<>(metadata).entrySet()) {
            Proto entry = new Proto();
            entry.string(1, e.getKey());
            entry.string(2, e.getValue());
            model.message(14, entry);
        }
        return model.bytes();
    }

    private Proto graph() {
        Proto g = new Proto();
        for (Node n : nodes) {
            Proto p = new Proto();
            n.inputs().forEach(s -> p.string(1, s));
            n.outputs().forEach(s -> p.string(2, s));
            p.string(3, n.name());
            p.string(4, n.op());
            n.attributes().forEach(a -> p.message(5, attribute(a)));
            g.message(1, p);
        }
        g.string(2, name);
        for (Tensor t : initializers) {
            g.message(5, tensor(t));
        }
        inputs.forEach(v -> g.message(11, valueInfo(v)));
        outputs.forEach(v -> g.message(12, valueInfo(v)));
        return g;
    }

    private static Proto attribute(OnnxAttribute a) {
        Proto p = new Proto();
        p.string(1, a.name());
        switch (a.type()) {
            case OnnxAttribute.FLOAT -> p.float32(2, a.floats().get(0));
            case OnnxAttribute.INT -> p.int64(3, a.ints().get(0));
            case OnnxAttribute.STRING -> p.bytes(4, a.string().getBytes(StandardCharsets.UTF_8));
            case OnnxAttribute.FLOATS -> a.floats().forEach(f -> p.float32(7, f));
            case OnnxAttribute.INTS -> a.ints().forEach(i -> p.int64(8, i));
            case OnnxAttribute.STRINGS -> a.strings().forEach(s -> p.bytes(9, s.getBytes(StandardCharsets.UTF_8)));
            default -> throw new IllegalStateException("attribute type " + a.type());
        }
        p.int64(20, a.type());
        return p;
    }

    private static Proto tensor(Tensor t) {
        Proto p = new Proto();
        for (long d : t.dims()) {
            p.int64(1, d);
        }
        p.int64(2, t.type());
        p.string(8, t.name());
        java.nio.ByteBuffer raw;
        if (t.type() == FLOAT) {
            raw = java.nio.ByteBuffer.allocate(t.floats().length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            raw.asFloatBuffer().put(t.floats());
        } else {
            raw = java.nio.ByteBuffer.allocate(t.longs().length * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            raw.asLongBuffer().put(t.longs());
        }
        p.bytes(9, raw.array());
        return p;
    }

    private static Proto valueInfo(Value v) {
        Proto shape = new Proto();
        for (int i = 0; i < v.dims().length; i++) {
            Proto dim = new Proto();
            if (v.dims()[i] >= 0) {
                dim.int64(1, v.dims()[i]);
            } else {
                dim.string(2, i == 0 ? BATCH : "d" + i);
            }
            shape.message(1, dim);
        }
        Proto tensorType = new Proto();
        tensorType.int64(1, FLOAT);
        tensorType.message(2, shape);
        Proto type = new Proto();
        type.message(1, tensorType);
        Proto p = new Proto();
        p.string(1, v.name());
        p.message(2, type);
        return p;
    }

    /** One protobuf message being written: fields in the order given (ONNX readers accept any order). */
    private static final class Proto {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final CodedOutputStream out = CodedOutputStream.newInstance(buffer);

        void int64(int field, long value) {
            run(() -> out.writeInt64(field, value));
        }

        void float32(int field, float value) {
            run(() -> out.writeFloat(field, value));
        }

        void string(int field, String value) {
            run(() -> out.writeString(field, value));
        }

        void bytes(int field, byte[] value) {
            run(() -> out.writeByteArray(field, value));
        }

        void message(int field, Proto message) {
            bytes(field, message.bytes());
        }

        byte[] bytes() {
            run(out::flush);
            return buffer.toByteArray();
        }

        private interface Write {
            void run() throws IOException;
        }

        private static void run(Write w) {
            try {
                w.run();
            } catch (IOException e) {
                throw new UncheckedIOException("writing ONNX protobuf in memory: " + e.getMessage(), e);
            }
        }
    }
}
