package dev.provenance;

import static dev.provenance.TestRunner.check;
import static dev.provenance.TestRunner.equal;

import dev.provenance.TestRunner.Test;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The SDK's own JSON reader and writer. */
final class JsonTest {
    @Test
    void readsEveryKindOfValueInDocumentOrder() {
        Object v = Json.parse(" {\"b\":1,\"a\":[true,false,null,\"x\"],\"c\":{\"d\":-2.5e2}} ");
        equal("{b=1, a=[true, false, null, x], c={d=-250.0}}", v.toString(), "parsed");
        check(v instanceof LinkedHashMap, "a LinkedHashMap");
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        equal(List.of("b", "a", "c"), List.copyOf(m.keySet()), "key order");
    }

    @Test
    void integralNumbersAreLongsOthersDoubles() {
        equal(Long.class, Json.parse("42").getClass(), "42");
        equal(Long.class, Json.parse("-9223372036854775808").getClass(), "Long.MIN_VALUE");
        equal(new BigInteger("9223372036854775808"), Json.parse("9223372036854775808"), "past Long");
        equal(Double.class, Json.parse("1.0").getClass(), "1.0");
        equal(1e21, Json.parse("1E21"), "exponent");
        equal(0L, Json.parse("-0"), "-0");
    }

    @Test
    void readsEscapesAndSurrogatePairs() {
        equal("a\"b\\c/d\b\f\n\r\t", Json.parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\""), "escapes");
        equal("é😀", Json.parse("\"\\u00e9\\ud83d\\ude00\""), "unicode escapes");
        equal("é😀", Json.parse("\"é😀\""), "raw unicode");
    }

    @Test
    void refusesMalformedJsonNamingTheOffset() {
        for (String bad : new String[] {"", "{", "[1,]", "{\"a\" 1}", "01", "1.", "tru", "\"\\x\"", "\"a", "[1] 2", "{\"a\":1,}", "\"\u0001\"", "-", "1e"}) {
            try {
                Json.parse(bad);
                throw new AssertionError("accepted " + bad);
            } catch (Json.JsonException e) {
                check(e.getMessage().startsWith("Invalid JSON at offset "), e.getMessage());
            }
        }
    }

    @Test
    void refusesNestingPastTheLimitInsteadOfOverflowingTheStack() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        try {
            Json.parse(deep);
            throw new AssertionError("accepted");
        } catch (Json.JsonException e) {
            check(e.getMessage().contains("nested deeper"), e.getMessage());
        }
        equal(List.of(List.of()), Json.parse("[[]]"), "shallow");
    }

    @Test
    void writesCompactJsonThatReadsBack() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "line\nquote\" tab\t \u0001 é 😀");
        m.put("n", 3);
        m.put("d", 2.5);
        m.put("whole", 2.0);
        m.put("null", null);
        m.put("list", Arrays.asList(1L, "x", false));
        m.put("array", new Object[] {"a"});
        m.put("nested", Map.of("k", List.of()));
        String text = Json.write(m);
        equal("{\"s\":\"line\\nquote\\\" tab\\t \\u0001 é 😀\",\"n\":3,\"d\":2.5,\"whole\":2,\"null\":null,\"list\":[1,\"x\",false],\"array\":[\"a\"],\"nested\":{\"k\":[]}}",
                text, "written");
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) Json.parse(text);
        equal(m.get("s"), back.get("s"), "string round trip");
        equal(2.5, back.get("d"), "double");
    }

    @Test
    void writesLoneSurrogatesAsEscapesAndRefusesWhatJsonCannotHold() {
        equal("\"\\ud800x\"", Json.write("\ud800x"), "lone surrogate");
        for (Object bad : new Object[] {Double.NaN, Double.POSITIVE_INFINITY, new Object(), Map.of(1, 2)}) {
            try {
                Json.write(bad);
                throw new AssertionError("wrote " + bad);
            } catch (Json.JsonException e) {
                check(e.getMessage().startsWith("Cannot write") || e.getMessage().contains("keys"), e.getMessage());
            }
        }
    }
}
