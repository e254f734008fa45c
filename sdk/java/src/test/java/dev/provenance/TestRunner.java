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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A small test runner (no JUnit on this machine): runs every {@code @Test} method of the
 * test classes, prints each result, writes a JSON report to $PROVENANCE_TEST_REPORT when
 * set, and exits 1 when anything failed.
 */
public final class TestRunner {
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface Test {}

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
        if (!Objects.equals(expected, actual)) throw new AssertionError(what + ": expected <" + expected + "> but was <" + actual + ">");
    }

    interface Body {
        void run() throws Exception;
    }

    /** Runs `body`, which must throw a ProvenanceException; returns it. */
    static ProvenanceException fails(Body body) throws Exception {
        try {
            body.run();
        } catch (ProvenanceException e) {
            return e;
        }
        throw new AssertionError("expected a ProvenanceException");
    }

    public static void main(String[] args) throws Exception {
        Class<?>[] classes = {JsonTest.class, ClientTest.class, LiveTest.class};
        List<Map<String, Object>> records = new ArrayList<>();
        int passed = 0, failed = 0, skipped = 0;
        for (Class<?> cls : classes) {
            for (Method m : cls.getDeclaredMethods()) {
                if (!m.isAnnotationPresent(Test.class)) continue;
                String name = cls.getSimpleName() + "." + m.getName();
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("name", name);
                long start = System.nanoTime();
                try {
                    m.setAccessible(true);
                    m.invoke(m.getDeclaringClass().getDeclaredConstructor().newInstance());
                    record.put("status", "passed");
                    passed++;
                } catch (InvocationTargetException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof Skip) {
                        record.put("status", "skipped");
                        record.put("message", cause.getMessage());
                        skipped++;
                    } else {
                        StringWriter trace = new StringWriter();
                        cause.printStackTrace(new PrintWriter(trace));
                        record.put("status", "failed");
                        record.put("message", trace.toString().length() > 2000 ? trace.toString().substring(0, 2000) : trace.toString());
                        failed++;
                    }
                }
                long ms = (System.nanoTime() - start) / 1_000_000;
                System.out.println(String.format("%-7s %s (%d ms)%s", record.get("status"), name, ms,
                        "failed".equals(record.get("status")) ? "\n" + record.get("message") : ""));
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
                Files.writeString(Path.of(path), Json.write(report), StandardCharsets.UTF_8);
            } catch (IOException e) {
                System.err.println("cannot write the report: " + e.getMessage());
                failed++;
            }
        }
        System.out.println(passed + " passed, " + failed + " failed, " + skipped + " skipped");
        System.exit(failed == 0 ? 0 : 1);
    }
}
