package io.hopper.model.params;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A Python literal as read by {@link LiteralParser}: the syntax tree of a value, never the result of evaluating
 * code.
 */
sealed interface PyLiteral {

    /** The value written back in Python syntax, for error messages and canonical strings. */
    String render();

    /** A short description of the kind of value, for error messages ("a string", "a list", ...). */
    String describe();

    /**
     * A number exactly as written, sign included.
     *
     * @param text the literal text, e.g. "-1e-3"
     * @param integral whether the text is a whole-number literal (no '.', no exponent)
     */
    record Num(String text, boolean integral) implements PyLiteral {
        public String render() { return text; }
        public String describe() { return "a number"; }
    }

    /** A quoted string, unescaped. */
    record Str(String value) implements PyLiteral {
        public String render() { return PyFormat.string(value); }
        public String describe() { return "a string"; }
    }

    /** True or False. */
    record Bool(boolean value) implements PyLiteral {
        public String render() { return PyFormat.bool(value); }
        public String describe() { return "a boolean"; }
    }

    /** Python's None. */
    record NoneLit() implements PyLiteral {
        public String render() { return "None"; }
        public String describe() { return "None"; }
    }

    /** A bare identifier such as Adam or accuracy. */
    record Name(String name) implements PyLiteral {
        public String render() { return name; }
        public String describe() { return "a bare name"; }
    }

    /** A list [a, b, ...]. */
    record ListLit(List<PyLiteral> items) implements PyLiteral {
        public ListLit {
            items = List.copyOf(items);
        }
        public String render() { return "[" + join(items) + "]"; }
        public String describe() { return "a list"; }
    }

    /** A tuple (a, b, ...); a single parenthesized value without a comma is that value, not a tuple. */
    record TupleLit(List<PyLiteral> items) implements PyLiteral {
        public TupleLit {
            items = List.copyOf(items);
        }
        public String render() { return "(" + join(items) + (items.size() == 1 ? ",)" : ")"); }
        public String describe() { return "a tuple"; }
    }

    /** A dict {k: v, ...} in source order; repeated keys are kept as written (consumers decide). */
    record DictLit(List<DictEntry> entries) implements PyLiteral {
        public DictLit {
            entries = List.copyOf(entries);
        }
        public String render() {
            return entries.stream().map(e -> e.key().render() + ": " + e.value().render())
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        public String describe() { return "a dict"; }
    }

    /** A call Name(k=v, ...) with keyword arguments only. */
    record Call(String name, List<KeywordArg> args) implements PyLiteral {
        public Call {
            args = List.copyOf(args);
        }
        public String render() {
            return args.stream().map(a -> a.key() + "=" + a.value().render())
                    .collect(Collectors.joining(", ", name + "(", ")"));
        }
        public String describe() { return "a call"; }
    }

    /** One key: value entry of a dict literal. */
    record DictEntry(PyLiteral key, PyLiteral value) {
    }

    /** One key=value pair, at the top level of a parameter string or inside a call. */
    record KeywordArg(String key, PyLiteral value) {
    }

    private static String join(List<PyLiteral> items) {
        return items.stream().map(PyLiteral::render).collect(Collectors.joining(", "));
    }
}
