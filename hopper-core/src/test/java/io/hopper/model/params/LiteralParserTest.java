package io.hopper.model.params;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopper.model.params.PyLiteral.Bool;
import io.hopper.model.params.PyLiteral.Call;
import io.hopper.model.params.PyLiteral.DictEntry;
import io.hopper.model.params.PyLiteral.DictLit;
import io.hopper.model.params.PyLiteral.KeywordArg;
import io.hopper.model.params.PyLiteral.ListLit;
import io.hopper.model.params.PyLiteral.Name;
import io.hopper.model.params.PyLiteral.NoneLit;
import io.hopper.model.params.PyLiteral.Num;
import io.hopper.model.params.PyLiteral.Str;
import io.hopper.model.params.PyLiteral.TupleLit;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiteralParserTest {

    private static PyLiteral value(String text) {
        return LiteralParser.parseValue("test", "v", text);
    }

    @Test
    void atoms() {
        assertEquals(new Num("32", true), value("32"));
        assertEquals(new Num("-1e-3", false), value("-1e-3"));
        assertEquals(new Num("2.5", false), value("+2.5"));
        assertEquals(new Num(".5", false), value(".5"));
        assertEquals(new Num("-7", true), value("- 7"));
        assertEquals(new Str("it's"), value("\"it's\""));
        assertEquals(new Str("a'b\\c\nd"), value("'a\\'b\\\\c\\nd'"));
        assertEquals(new Str("C:\\x"), value("'C:\\x'"));
        assertEquals(new Bool(true), value("True"));
        assertEquals(new Bool(false), value("False"));
        assertEquals(new NoneLit(), value("None"));
        assertEquals(new Name("true"), value("true"));
        assertEquals(new Name("log_near_one"), value("log_near_one"));
    }

    @Test
    void containers() {
        assertEquals(new ListLit(List.of(new Num("1", true), new Str("x"), new ListLit(List.of()))), value("[1, 'x', [],]"));
        assertEquals(new TupleLit(List.of(new Num("1", true))), value("(1,)"));
        assertEquals(new Num("1", true), value("(1)"));
        assertEquals(new TupleLit(List.of()), value("()"));
        assertEquals(new DictLit(List.of(new DictEntry(new Num("0", true), new Num("1.5", false)),
                new DictEntry(new Str("k"), new ListLit(List.of(new Name("a")))))), value("{0: 1.5, 'k': [a]}"));
        assertEquals(new Call("Adam", List.of(new KeywordArg("lr", new Num("0.1", false)),
                new KeywordArg("amsgrad", new Bool(true)))), value("Adam( lr=0.1 , amsgrad=True )"));
        assertEquals(new Call("SGD", List.of()), value("SGD()"));
        assertEquals(new ListLit(List.of(new Call("TensorBoard", List.of(new KeywordArg("log_dir", new Str("/t")))))),
                value("[TensorBoard(log_dir='/t')]"));
    }

    @Test
    void renderReadsBackToTheSameTree() {
        for (String text : List.of("{'optimizer_params_list': [{'optimizer': ['Adam', 'SGD'], 'lr': [0.0001, 0.1, 'log']}]}",
                "[(1,), (), (1, 2), None, True, -3, 'a\\'b']", "f(a=[1], b={2: 3})")) {
            PyLiteral tree = value(text);
            assertEquals(tree, value(tree.render()), text);
        }
    }

    @Test
    void pairsKeepOrderAndRepeats() {
        List<KeywordArg> pairs = LiteralParser.parsePairs("test", " a = 1 , b=[1, (2, 3)], a='x' ");
        assertEquals(List.of("a", "b", "a"), pairs.stream().map(KeywordArg::key).toList());
        assertEquals(new Str("x"), pairs.get(2).value());
        assertEquals(List.of(), LiteralParser.parsePairs("test", " \n "));
    }

    @Test
    void errorsNamePositionAndKind() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LiteralParser.parsePairs("fit_params", "a=1, b=[1, 2"));
        assertTrue(e.getMessage().startsWith("fit_params: syntax error at character 8 of \"a=1, b=[1, 2\""), e.getMessage());
        IllegalArgumentException nl = assertThrows(IllegalArgumentException.class,
                () -> LiteralParser.parsePairs("fit_params", "a=1,\nb=?"));
        assertTrue(nl.getMessage().contains("a=1,\\nb=?") && !nl.getMessage().contains("\n"), nl.getMessage());
        assertThrows(IllegalArgumentException.class, () -> value("1 2"));
        assertThrows(IllegalArgumentException.class, () -> value("{1: 2"));
        assertThrows(IllegalArgumentException.class, () -> value("{1, 2}"));
        assertThrows(IllegalArgumentException.class, () -> value("a == b"));
        assertThrows(IllegalArgumentException.class, () -> value("x.y"));
        assertThrows(IllegalArgumentException.class, () -> value("f(a=1, 2)"));
        assertThrows(IllegalArgumentException.class, () -> value("[1,,2]"));
    }
}
