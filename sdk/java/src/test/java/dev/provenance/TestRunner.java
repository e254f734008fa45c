package dev.provenance;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A small test runner (no JUnit on this machine): runs every {@code @Test} method of the
 * test classes (each a named test, "Class.method"), prints each result, writes the JSON
 * report {@code {"passed","failed","skipped","tests":[{"name","status","message"?}]}} to
 * $PROVENANCE_TEST_REPORT when set, and exits 1 when anything failed. Arguments: only run
 * tests whose name contains one of them.
 */
public final class TestRunner {
    /** Marks a test method; {@code order} sorts them within their class (then by name). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface Test {
        int order() default 100;
    }

    /** Thrown by a test that cannot run here (a live test without PROVENANCE_URL). */
    static final class Skip extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Skip(String reason) {
            super(reason);
        }
    }

    static void check(boolean condition, String what) {
        if (!condition) throw new AssertionError(what);
    }

    static void equal(Object expected, Object actual, String what) {
        if (!Objects.equals(expected, actual)) {
            throw new AssertionError(what + ": expected <" + expected + "> (" + type(expected) + ") but was <" + actual + "> (" + type(actual) + ")");
        }
    }

    private static String type(Object o) {
        return o == null ? "null" : o.getClass().getSimpleName();
    }

    interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body}, which must throw a ProvenanceException; returns it. */
    static ProvenanceException fails(Body body) throws Exception {
        try {
            body.run();
        } catch (ProvenanceException e) {
            return e;
        }
        throw new AssertionError("expected a ProvenanceException");
    }

    /** Runs {@code body}, which must throw a Json.JsonException; returns it. */
    static Json.JsonException jsonFails(Body body) throws Exception {
        try {
            body.run();
        } catch (Json.JsonException e) {
            return e;
        }
        throw new AssertionError("expected a Json.JsonException");
    }

    public static void main(String[] args) throws Exception {
        // The fake servers (com.sun.net.httpserver) answer without Nagle's delay (~40 ms a call otherwise).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Class<?>[] classes = {JsonTest.class, ClientTest.class, LiveTest.class};
        List<Map<String, Object>> records = new ArrayList<>();
        int passed = 0, failed = 0, skipped = 0;
        long started = System.nanoTime();
        for (Class<?> cls : classes) {
            List<Method> methods = new ArrayList<>();
            for (Method m : cls.getDeclaredMethods()) if (m.isAnnotationPresent(Test.class)) methods.add(m);
            methods.sort(Comparator.<Method>comparingInt(m -> m.getAnnotation(Test.class).order()).thenComparing(Method::getName));
            for (Method m : methods) {
                String name = cls.getSimpleName() + "." + m.getName();
                if (args.length > 0 && Arrays.stream(args).noneMatch(name::contains)) continue;
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("name", name);
                long start = System.nanoTime();
                Throwable thrown = null;
                try {
                    m.setAccessible(true);
                    m.invoke(m.getDeclaringClass().getDeclaredConstructor().newInstance());
                } catch (InvocationTargetException e) {
                    thrown = e.getCause();
                } catch (ReflectiveOperationException | RuntimeException e) {
                    thrown = e;
                }
                if (thrown == null) {
                    record.put("status", "passed");
                    passed++;
                } else if (thrown instanceof Skip) {
                    record.put("status", "skipped");
                    record.put("message", thrown.getMessage());
                    skipped++;
                } else {
                    StringWriter trace = new StringWriter();
                    thrown.printStackTrace(new PrintWriter(trace));
                    String text = trace.toString();
                    record.put("status", "failed");
                    record.put("message", text.length() > 4000 ? text.substring(0, 4000) : text);
                    failed++;
                }
                long ms = (System.nanoTime() - start) / 1_000_000;
                String status = (String) record.get("status");
                System.out.println(String.format("%-7s %s (%d ms)%s", status, name, ms,
                        "passed".equals(status) ? "" : "\n    " + String.valueOf(record.get("message")).replace("\n", "\n    ")));
                records.add(record);
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("passed", passed);
        report.put("failed", failed);
        report.put("skipped", skipped);
        report.put("tests", records);
        String path = System.getenv("PROVENANCE_TEST_REPORT");
        if (path != null && !path.isEmpty()) {
            try {
                Path file = Path.of(path).toAbsolutePath();
                if (file.getParent() != null) Files.createDirectories(file.getParent());
                Files.writeString(file, Json.write(report) + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                System.err.println("cannot write the report to " + path + ": " + e);
                failed++;
            }
        }
        System.out.println(passed + " passed, " + failed + " failed, " + skipped + " skipped ("
                + (System.nanoTime() - started) / 1_000_000 + " ms)");
        System.exit(failed == 0 ? 0 : 1);
    }
}
