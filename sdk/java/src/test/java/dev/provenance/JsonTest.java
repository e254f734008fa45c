package dev.provenance;

import static dev.provenance.TestRunner.check;
import static dev.provenance.TestRunner.equal;
import static dev.provenance.TestRunner.jsonFails;

import dev.provenance.TestRunner.Test;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The SDK's own JSON reader and writer. */
final class JsonTest {
    @Test
    void readsEveryKindOfValueInDocumentOrder() throws Exception {
        Object v = Json.parse(" {\"b\":1,\"a\":[true,false,null,\"x\"],\"c\":{\"d\":-2.5e2,\"e\":{}},\"f\":[]} ");
        equal("{b=1, a=[true, false, null, x], c={d=-250.0, e={}}, f=[]}", v.toString(), "parsed");
        check(v instanceof LinkedHashMap, "a LinkedHashMap");
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        equal(List.of("b", "a", "c", "f"), List.copyOf(m.keySet()), "key order");
        check(m.get("a") instanceof List, "arrays are Lists");
        check(((Map<?, ?>) m.get("c")).get("e") instanceof LinkedHashMap, "nested objects are LinkedHashMaps");
        equal(Boolean.TRUE, ((List<?>) m.get("a")).get(0), "true is Boolean.TRUE");
        equal(null, Json.parse("null"), "null");
        equal("x", Json.parse("\"x\""), "a bare string");
        equal(Map.of("a", 2L), Json.parse("{\"a\":1,\"a\":2}"), "a repeated key keeps its last value");
        equal(List.of(1L, 2L), Json.parse("\t\r\n [ 1 ,\n 2 ] \n"), "whitespace anywhere between tokens");
    }

    @Test
    void integralNumbersAreLongsOthersDoubles() throws Exception {
        equal(42L, Json.parse("42"), "42");
        equal(0L, Json.parse("0"), "0");
        equal(0L, Json.parse("-0"), "-0");
        equal(-7L, Json.parse("-7"), "-7");
        equal(Long.MAX_VALUE, Json.parse("9223372036854775807"), "Long.MAX_VALUE");
        equal(Long.MIN_VALUE, Json.parse("-9223372036854775808"), "Long.MIN_VALUE");
        equal(999999999999999999L, Json.parse("999999999999999999"), "18 digits");
        equal(-999999999999999999L, Json.parse("-999999999999999999"), "18 digits, negative");
        // Past the range of long: a Double, never a BigInteger (the SDK's types are closed).
        equal(9.223372036854775808E18, Json.parse("9223372036854775808"), "Long.MAX_VALUE + 1");
        equal(-9.223372036854775809E18, Json.parse("-9223372036854775809"), "Long.MIN_VALUE - 1");
        equal(1.2345678901234568E29, Json.parse("123456789012345678901234567890"), "30 digits");
        equal(1.0, Json.parse("1.0"), "a fraction makes a Double even when whole");
        equal(100.0, Json.parse("1e2"), "an exponent makes a Double");
        equal(100.0, Json.parse("1E+2"), "E+");
        equal(0.01, Json.parse("1e-2"), "e-");
        equal(-0.5, Json.parse("-0.5"), "-0.5");
        equal(1e21, Json.parse("1E21"), "1E21");
        equal(4.9E-324, Json.parse("4.9e-324"), "smallest double");
        equal(Double.POSITIVE_INFINITY, Json.parse("1e400"), "overflow reads as infinity, as in JavaScript");
        for (String text : new String[] {"1", "-1", "12345", "0.25", "3.5e3", "[1,2.5]", "{\"n\":-3}"}) {
            Object v = Json.parse(text);
            for (Object n : v instanceof List ? (List<?>) v : v instanceof Map ? ((Map<?, ?>) v).values() : List.of(v)) {
                check(n instanceof Long || n instanceof Double, text + " gave a " + n.getClass());
            }
        }
    }

    @Test
    void readsEscapesAndSurrogatePairs() throws Exception {
        equal("a\"b\\c/d\b\f\n\r\t", Json.parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\""), "escapes");
        equal("é😀", Json.parse("\"\\u00e9\\ud83d\\ude00\""), "unicode escapes, a surrogate pair as two escapes");
        equal("É", Json.parse("\"\\u00C9\""), "upper-case hex");
        equal("é😀中", Json.parse("\"é😀中\""), "raw unicode");
        equal("\u0000", Json.parse("\"\\u0000\""), "NUL by escape");
        equal("\ud800", Json.parse("\"\\ud800\""), "a lone escaped surrogate is kept, as in JavaScript");
        equal(2, ((String) Json.parse("\"\\ud83d\\ude00\"")).length(), "one code point, two chars");
        equal(0x1F600, ((String) Json.parse("\"\\ud83d\\ude00\"")).codePointAt(0), "the code point");
        equal(Map.of("k\u00e9y", "v"), Json.parse("{\"k\\u00e9y\":\"v\"}"), "escapes in keys");
    }

    @Test
    void refusesMalformedJsonNamingTheOffset() throws Exception {
        String[] bad = {"", " ", "{", "}", "[", "]", "[1,]", "[,1]", "[1,,2]", "{\"a\" 1}", "{\"a\":}", "{,}", "{\"a\":1,}", "{'a':1}",
            "{a:1}", "01", "-01", "1.", ".5", "+1", "-", "1e", "1e+", "0x10", "NaN", "Infinity", "-Infinity", "tru", "nul", "True",
            "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "\"a", "\"\u0001\"", "\"tab\there\"", "\"line\nbreak\"", "[1] 2", "1 2",
            "{}{}", "// comment", "/* c */ 1", "\ufeff{}", "[1}", "{\"a\":1]", "\"\\"};
        for (String text : bad) {
            Json.JsonException e = jsonFails(() -> Json.parse(text));
            check(e.getMessage().startsWith("Invalid JSON at offset "), text + ": " + e.getMessage());
        }
        equal("Invalid JSON at offset 3: unexpected character ']'", jsonFails(() -> Json.parse("[1,]")).getMessage(), "[1,]");
        equal("Invalid JSON at offset 4: unexpected text after the JSON value", jsonFails(() -> Json.parse("[1] 2")).getMessage(), "trailing");
        equal("Invalid JSON at offset 3: unterminated string", jsonFails(() -> Json.parse("[\"a")).getMessage(), "unterminated");
        equal("Invalid JSON: no text (null)", jsonFails(() -> Json.parse(null)).getMessage(), "null text");
        check(RuntimeException.class.isAssignableFrom(Json.JsonException.class), "unchecked");
    }

    @Test
    void refusesNestingPastTheLimitInsteadOfOverflowingTheStack() throws Exception {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        check(jsonFails(() -> Json.parse(deep)).getMessage().contains("nested deeper than 512"), "deep arrays");
        String deepObjects = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        check(jsonFails(() -> Json.parse(deepObjects)).getMessage().contains("nested deeper"), "deep objects");
        Object limit = Json.parse("[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH));
        check(limit instanceof List, "exactly MAX_DEPTH levels are read");
        jsonFails(() -> Json.parse("[".repeat(Json.MAX_DEPTH + 2) + "]".repeat(Json.MAX_DEPTH + 2)));

        List<Object> nested = new ArrayList<>();
        List<Object> at = nested;
        for (int i = 0; i < 10_000; i++) {
            List<Object> inner = new ArrayList<>();
            at.add(inner);
            at = inner;
        }
        check(jsonFails(() -> Json.write(nested)).getMessage().contains("nested deeper"), "writing deep lists");
        Map<String, Object> cycle = new HashMap<>();
        cycle.put("self", cycle);
        check(jsonFails(() -> Json.write(cycle)).getMessage().contains("nested deeper"), "a cycle is refused, not a StackOverflowError");
    }

    @Test
    void writesCompactJsonThatReadsBack() throws Exception {
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
        equal(3L, back.get("n"), "an Integer reads back as a Long");
        equal(List.copyOf(m.keySet()), List.copyOf(back.keySet()), "key order kept");
    }

    @Test
    void writesEveryEscapeAStringNeeds() throws Exception {
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x20; c++) controls.append(c);
        String written = Json.write(controls.toString());
        equal("\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f"
                + "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\"",
                written, "every control character");
        equal(controls.toString(), Json.parse(written), "and back");
        equal("\"\\\"\\\\/\"", Json.write("\"\\/"), "quote and backslash escaped, slash not");
        equal("\"\\u2028\\u2029\"", Json.write("\u2028\u2029"), "line and paragraph separators escaped");
        equal("\"\u007f é 中 😀\"", Json.write("\u007f é 中 😀"), "DEL and non-ASCII written as they are");
        equal("\"\\ud800x\"", Json.write("\ud800x"), "a lone high surrogate as an escape");
        equal("\"x\\udc00\"", Json.write("x\udc00"), "a lone low surrogate as an escape");
        equal("\"\\ud800😀\\udc00\"", Json.write("\ud800😀\udc00"), "lone surrogates around a pair");
        equal("\ud800😀\udc00", Json.parse(Json.write("\ud800😀\udc00")), "and back");
        equal("\"c\"", Json.write('c'), "a Character");
        equal("\"sb\"", Json.write(new StringBuilder("sb")), "any CharSequence");
    }

    @Test
    void writesNumbersAsJsonNumbers() throws Exception {
        equal("[1,2,3,4,5,6,7,2.5,1.0E300,0,1.5,-3]", Json.write(List.of((byte) 1, (short) 2, 3, 4L,
                new BigInteger("5"), new BigDecimal("6"), 7.0, 2.5, 1e300, -0.0, 1.5f, -3.0)), "numbers");
        equal("123456789012345678901234567890", Json.write(new BigInteger("123456789012345678901234567890")), "BigInteger");
        equal("0.1", Json.write(0.1), "0.1");
        equal(0.1, Json.parse(Json.write(0.1)), "0.1 round trip");
        equal(Long.MIN_VALUE, Json.parse(Json.write(Long.MIN_VALUE)), "Long.MIN_VALUE round trip");
        for (Object bad : new Object[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Float.NaN}) {
            check(jsonFails(() -> Json.write(bad)).getMessage().startsWith("Cannot write"), "refused " + bad);
        }
        equal("[true,false,null]", Json.write(Arrays.asList(true, false, null)), "literals");
    }

    @Test
    void refusesWhatJsonCannotHold() throws Exception {
        Map<Object, Object> intKeys = new HashMap<>();
        intKeys.put(1, 2);
        Map<String, Object> nullKey = new HashMap<>();
        nullKey.put(null, 1);
        for (Object bad : new Object[] {new Object(), intKeys, nullKey, new int[] {1}, List.of(new Object()), Map.of("k", Thread.currentThread())}) {
            Json.JsonException e = jsonFails(() -> Json.write(bad));
            check(e.getMessage().startsWith("Cannot write") || e.getMessage().contains("keys must be strings"), e.getMessage());
        }
    }

    @Test
    void randomValuesRoundTripExactly() throws Exception {
        Random random = new Random(20261205L);
        for (int i = 0; i < 2000; i++) {
            Object value = randomValue(random, 0);
            String text = Json.write(value);
            Object back = Json.parse(text);
            equal(value, back, "round trip of " + text);
            equal(text, Json.write(back), "written twice the same");
        }
    }

    /** A random JSON value made only of the reader's types (so that equals compares exactly). */
    private static Object randomValue(Random r, int depth) {
        int kind = r.nextInt(depth > 4 ? 6 : 8);
        switch (kind) {
            case 0: return null;
            case 1: return r.nextBoolean();
            case 2: return r.nextBoolean() ? (long) r.nextInt(1000) - 500 : r.nextLong();
            case 3: {
                double d = r.nextBoolean() ? r.nextDouble() * 1000 : (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(40) - 20);
                return d == Math.rint(d) ? d + 0.5 : d; // a whole double is written as an integer, read as a Long
            }
            case 4:
            case 5: return randomString(r);
            case 6: {
                List<Object> list = new ArrayList<>();
                for (int i = r.nextInt(5); i > 0; i--) list.add(randomValue(r, depth + 1));
                return list;
            }
            default: {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = r.nextInt(5); i > 0; i--) map.put(randomString(r), randomValue(r, depth + 1));
                return map;
            }
        }
    }

    private static String randomString(Random r) {
        String alphabet = "aZ09 \"\\/\b\f\n\r\t\u0000\u001f\u007fé中\u2028\u2029";
        StringBuilder out = new StringBuilder();
        for (int i = r.nextInt(12); i > 0; i--) {
            int pick = r.nextInt(alphabet.length() + 2);
            if (pick < alphabet.length()) out.append(alphabet.charAt(pick));
            else if (pick == alphabet.length()) out.appendCodePoint(0x10000 + r.nextInt(0xFFFFF)); // a surrogate pair
            else out.append((char) (0xD800 + r.nextInt(0x800))); // a lone surrogate
        }
        return out.toString();
    }
}
