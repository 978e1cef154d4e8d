package io.hopper.model.params;

import io.hopper.Echo;

import java.util.ArrayList;
import java.util.List;

/**
 * A tokenizer and recursive-descent parser for the subset of Python literal syntax that MADlib's parameter
 * strings use; it builds a {@link PyLiteral} tree and never evaluates anything.
 *
 * <pre>
 * pairs   := [ pair { ',' pair } ] EOF                    (top level of compile_params / fit_params)
 * pair    := NAME '=' value
 * value   := ['-' | '+'] NUMBER | STRING | 'True' | 'False' | 'None' | NAME | call | list | tuple | dict
 * call    := NAME '(' [ pair { ',' pair } [','] ] ')'
 * list    := '[' [ value { ',' value } [','] ] ']'
 * tuple   := '(' [ value { ',' value } [','] ] ')'        ("(v)" is v itself, as in Python)
 * dict    := '{' [ value ':' value { ',' value ':' value } [','] ] '}'
 * NUMBER  := digits ['.' digits] [('e'|'E') ['+'|'-'] digits]  |  '.' digits [exponent]
 * STRING  := '...' or "..." with backslash escapes \\ \' \" \n \r \t
 * </pre>
 * Every syntax error is an IllegalArgumentException with one line naming the parameter string kind, the
 * position and the offending text.
 */
final class LiteralParser {

    private enum Type { NUMBER, STRING, NAME, OPEN, CLOSE, COMMA, COLON, EQUALS, OPERATOR, EOF }

    private record Token(Type type, String text, int position) {
        /** The token as quoted in messages. */
        String shown() {
            return type == Type.EOF ? "the end of the string" : "'" + oneLine(text) + "'";
        }
    }

    private final String kind;
    private final String source;
    private final List<Token> tokens;
    private int next;
    private int depth;

    /** The deepest nesting of brackets and calls a value may have. */
    static final int MAX_DEPTH = 32;

    private LiteralParser(String kind, String source) {
        this.kind = kind;
        this.source = source;
        this.tokens = tokenize();
    }

    /**
     * Parses a whole parameter string of top-level key=value pairs, in order (repeated keys kept).
     *
     * @param kind the parameter string kind for messages, e.g. "compile_params"
     * @param source the string; blank means no pairs
     */
    static List<PyLiteral.KeywordArg> parsePairs(String kind, String source) {
        LiteralParser parser = new LiteralParser(kind, source);
        List<PyLiteral.KeywordArg> pairs = new ArrayList<>();
        if (parser.peek().type() == Type.EOF) {
            return pairs;
        }
        while (true) {
            pairs.add(parser.pair(null));
            Token after = parser.take();
            if (after.type() == Type.EOF) {
                return pairs;
            }
            if (after.type() != Type.COMMA) {
                throw parser.afterValue(after, pairs.get(pairs.size() - 1).key(), "',' before the next key=value pair");
            }
            if (parser.peek().type() == Type.EOF) {
                throw parser.error(after, "trailing ',' with no key=value pair after it", "remove the last comma");
            }
        }
    }

    /**
     * Parses a string that holds exactly one value.
     *
     * @param kind the parameter string kind for messages
     * @param context what the value is, for messages, e.g. "optimizer"
     * @param source the text of the value
     */
    static PyLiteral parseValue(String kind, String context, String source) {
        LiteralParser parser = new LiteralParser(kind, source);
        PyLiteral value = parser.value(context);
        Token after = parser.take();
        if (after.type() != Type.EOF) {
            throw parser.afterValue(after, context, "the end of the value");
        }
        return value;
    }

    // ---------------------------------------------------------------- parser

    private PyLiteral.KeywordArg pair(String inCall) {
        Token key = take();
        String where = inCall == null ? "" : " inside " + inCall + "(...)";
        if (key.type() != Type.NAME) {
            throw error(key, "expected a key name" + where + ", found " + key.shown(), "write key=value pairs such as "
                    + (inCall == null ? "epochs=1" : "lr=0.01"));
        }
        Token equals = take();
        if (equals.type() != Type.EQUALS) {
            throw error(equals, "expected '=' after key '" + key.text() + "'" + where + ", found " + equals.shown(),
                    "write " + key.text() + "=value");
        }
        return new PyLiteral.KeywordArg(key.text(), value(key.text()));
    }

    private PyLiteral value(String context) {
        Token t = take();
        if (t.type() == Type.OPEN || (t.type() == Type.NAME && peek().type() == Type.OPEN && peek().text().equals("("))) {
            if (++depth > MAX_DEPTH) {
                throw error(t, "brackets nest deeper than " + MAX_DEPTH + " levels", "flatten the value; parameter values need"
                        + " a few levels at most");
            }
            try {
                return valueAt(t, context);
            } finally {
                depth--;
            }
        }
        return valueAt(t, context);
    }

    private PyLiteral valueAt(Token t, String context) {
        return switch (t.type()) {
            case NUMBER -> number(t, "");
            case OPERATOR -> {
                Token n = take();
                if ((t.text().equals("-") || t.text().equals("+")) && n.type() == Type.NUMBER) {
                    yield number(n, t.text().equals("-") ? "-" : "");
                }
                throw error(t, "value of " + context + " starts with operator " + t.shown()
                        + "; only literal values are read, expressions are never evaluated", "write the value itself");
            }
            case STRING -> new PyLiteral.Str(t.text());
            case NAME -> nameOrCall(t, context);
            case OPEN -> switch (t.text()) {
                case "[" -> new PyLiteral.ListLit(sequence(t, "]", context));
                case "{" -> dict(t, context);
                default -> tupleOrGroup(t, context);
            };
            case COMMA, CLOSE, EOF, COLON, EQUALS -> throw error(t, "empty or missing value for " + context
                    + " (found " + t.shown() + ")", "give a value, e.g. " + context + "=1 or " + context + "='name'");
        };
    }

    private PyLiteral number(Token t, String sign) {
        String text = t.text();
        boolean integral = text.chars().allMatch(ch -> isDigit((char) ch));
        return new PyLiteral.Num(sign + text, integral);
    }

    private PyLiteral nameOrCall(Token name, String context) {
        switch (name.text()) {
            case "True": return new PyLiteral.Bool(true);
            case "False": return new PyLiteral.Bool(false);
            case "None": return new PyLiteral.NoneLit();
            default: break;
        }
        if (!(peek().type() == Type.OPEN && peek().text().equals("("))) {
            return new PyLiteral.Name(name.text());
        }
        Token open = take();
        List<PyLiteral.KeywordArg> args = new ArrayList<>();
        while (!atClose()) {
            if (peek().type() != Type.NAME || peekAt(1).type() != Type.EQUALS) {
                Token bad = peek();
                if (bad.type() == Type.EOF) {
                    throw unclosed(open);
                }
                throw error(bad, "the call " + name.text() + "(...) in the value of " + context
                        + " takes keyword arguments only, found " + bad.shown() + " (calls are read, never evaluated)",
                        "write a literal value, or " + name.text() + "(key=value, ...) where a call is expected");
            }
            args.add(pair(name.text()));
            if (!separator(open, ")", name.text() + "(...)")) {
                break;
            }
        }
        closeWith(open, ")");
        return new PyLiteral.Call(name.text(), args);
    }

    private PyLiteral tupleOrGroup(Token open, String context) {
        List<PyLiteral> items = new ArrayList<>();
        boolean sawComma = false;
        while (!atClose()) {
            items.add(value(context));
            if (!separator(open, ")", context)) {
                break;
            }
            sawComma = true;
        }
        closeWith(open, ")");
        return items.size() == 1 && !sawComma ? items.get(0) : new PyLiteral.TupleLit(items);
    }

    private List<PyLiteral> sequence(Token open, String close, String context) {
        List<PyLiteral> items = new ArrayList<>();
        while (!atClose()) {
            items.add(value(context));
            if (!separator(open, close, context)) {
                break;
            }
        }
        closeWith(open, close);
        return items;
    }

    private PyLiteral dict(Token open, String context) {
        List<PyLiteral.DictEntry> entries = new ArrayList<>();
        while (!atClose()) {
            PyLiteral key = value(context);
            Token colon = take();
            if (colon.type() != Type.COLON) {
                throw colon.type() == Type.EOF ? unclosed(open) : error(colon, "expected ':' after dict key "
                        + key.render() + " in " + context + ", found " + colon.shown(), "write {key: value, ...}");
            }
            for (PyLiteral.DictEntry e : entries) {
                if (e.key().equals(key)) {
                    throw error(colon, "dict key " + Echo.of(key.render()) + " appears twice in " + context, "give each key once"
                            + " (Python would keep the last silently; Hopper refuses instead)");
                }
            }
            entries.add(new PyLiteral.DictEntry(key, value(context)));
            if (!separator(open, "}", context)) {
                break;
            }
        }
        closeWith(open, "}");
        return new PyLiteral.DictLit(entries);
    }

    /** After an item: consumes a ',' and returns true, or returns false when the closing bracket follows. */
    private boolean separator(Token open, String close, String context) {
        Token t = peek();
        if (t.type() == Type.COMMA) {
            take();
            return true;
        }
        if (t.type() == Type.CLOSE || t.type() == Type.EOF) {
            return false;
        }
        throw afterValue(t, context, "',' or '" + close + "' to continue the '" + open.text() + "' opened at character "
                + (open.position() + 1));
    }

    private boolean atClose() {
        Token t = peek();
        return t.type() == Type.EOF || t.type() == Type.CLOSE;
    }

    private void closeWith(Token open, String close) {
        Token t = take();
        if (t.type() == Type.EOF) {
            throw unclosed(open);
        }
        if (!t.text().equals(close)) {
            throw error(t, "unbalanced brackets: '" + open.text() + "' opened at character " + (open.position() + 1)
                    + " is closed by '" + t.text() + "'", "close it with '" + close + "'");
        }
    }

    private IllegalArgumentException unclosed(Token open) {
        String close = switch (open.text()) {
            case "[" -> "]";
            case "{" -> "}";
            default -> ")";
        };
        return error(open, "unbalanced brackets: '" + open.text() + "' is never closed", "add the missing '" + close + "'");
    }

    /** The error for an unexpected token right after a complete value. */
    private IllegalArgumentException afterValue(Token t, String context, String expected) {
        String found = "after the value of " + context + " expected " + expected + ", found " + t.shown();
        return switch (t.type()) {
            case CLOSE -> error(t, "unbalanced brackets: '" + t.text() + "' has no matching opening bracket",
                    "remove it or add the opening bracket");
            case OPERATOR -> error(t, found + "; only literal values are read, expressions are never evaluated",
                    "write the computed value itself, e.g. 6 instead of 2*3");
            case NAME, NUMBER, STRING, OPEN -> error(t, found, "separate items with commas");
            default -> error(t, found, "remove or fix the text from there on");
        };
    }

    private IllegalArgumentException error(Token at, String problem, String fix) {
        return new IllegalArgumentException(kind + ": syntax error at character " + (at.position() + 1) + " of \""
                + oneLine(source) + "\": " + problem + "; " + fix);
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token peekAt(int ahead) {
        return tokens.get(Math.min(next + ahead, tokens.size() - 1));
    }

    private Token take() {
        Token t = tokens.get(next);
        if (next < tokens.size() - 1) {
            next++;
        }
        return t;
    }

    // ------------------------------------------------------------- tokenizer

    private List<Token> tokenize() {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (isDigit(c) || (c == '.' && i + 1 < source.length() && isDigit(source.charAt(i + 1)))) {
                i = numberToken(i, out);
            } else if (c == '\'' || c == '"') {
                i = stringToken(i, out);
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < source.length() && (Character.isLetterOrDigit(source.charAt(i)) || source.charAt(i) == '_')) {
                    i++;
                }
                out.add(new Token(Type.NAME, source.substring(start, i), start));
            } else if ("([{".indexOf(c) >= 0) {
                out.add(new Token(Type.OPEN, String.valueOf(c), i++));
            } else if (")]}".indexOf(c) >= 0) {
                out.add(new Token(Type.CLOSE, String.valueOf(c), i++));
            } else if (c == ',') {
                out.add(new Token(Type.COMMA, ",", i++));
            } else if (c == ':') {
                out.add(new Token(Type.COLON, ":", i++));
            } else if (c == '=' && !source.startsWith("==", i)) {
                out.add(new Token(Type.EQUALS, "=", i++));
            } else if ("+-*/%=<>!&|^~@".indexOf(c) >= 0) {
                out.add(new Token(Type.OPERATOR, String.valueOf(c), i++));
            } else {
                throw error(new Token(Type.OPERATOR, String.valueOf(c), i), "unexpected character '" + oneLine(String.valueOf(c))
                        + "'", "parameter strings hold only key=value pairs of literals; remove it");
            }
        }
        out.add(new Token(Type.EOF, "", source.length()));
        return out;
    }

    private int numberToken(int start, List<Token> out) {
        int i = digits(start);
        if (i < source.length() && source.charAt(i) == '.') {
            i = digits(i + 1);
        }
        if (i < source.length() && (source.charAt(i) == 'e' || source.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < source.length() && (source.charAt(j) == '+' || source.charAt(j) == '-')) {
                j++;
            }
            int end = digits(j);
            if (end == j) {
                throw error(new Token(Type.NUMBER, source.substring(start, j), start), "number '"
                        + source.substring(start, j) + "' has an exponent without digits", "write e.g. 1e-3");
            }
            i = end;
        }
        if (i < source.length() && (Character.isLetter(source.charAt(i)) || source.charAt(i) == '_')) {
            throw error(new Token(Type.NUMBER, source.substring(start, i + 1), start), "malformed number starting '"
                    + oneLine(source.substring(start, i + 1)) + "'", "write a decimal number such as 32, 0.01 or 1e-3");
        }
        out.add(new Token(Type.NUMBER, source.substring(start, i), start));
        return i;
    }

    private int digits(int from) {
        int i = from;
        while (i < source.length() && isDigit(source.charAt(i))) {
            i++;
        }
        return i;
    }

    private int stringToken(int start, List<Token> out) {
        char quote = source.charAt(start);
        StringBuilder value = new StringBuilder();
        int i = start + 1;
        while (i < source.length() && source.charAt(i) != quote) {
            char c = source.charAt(i);
            if (c == '\\' && i + 1 < source.length()) {
                char e = source.charAt(i + 1);
                switch (e) {
                    case 'n' -> value.append('\n');
                    case 'r' -> value.append('\r');
                    case 't' -> value.append('\t');
                    case '\\', '\'', '"' -> value.append(e);
                    default -> value.append(c).append(e);
                }
                i += 2;
            } else {
                value.append(c);
                i++;
            }
        }
        if (i >= source.length()) {
            throw error(new Token(Type.STRING, "", start), "string opened with " + quote + " is never closed",
                    "add the closing " + quote);
        }
        out.add(new Token(Type.STRING, value.toString(), start));
        return i + 1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Text made safe for a one-line message (escaped, cut to {@link Echo#MAX_CHARS} characters). */
    static String oneLine(String text) {
        return Echo.of(text);
    }
}
