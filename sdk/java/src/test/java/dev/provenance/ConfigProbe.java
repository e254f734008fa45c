package dev.provenance;

/** Run by ClientTest in a JVM without PROVENANCE_URL/TOKEN: prints how configuration fails. */
public final class ConfigProbe {
    private ConfigProbe() {}

    public static void main(String[] args) {
        try {
            new Provenance();
            System.out.println("no error");
        } catch (ProvenanceException e) {
            System.out.println(e.status() + "|" + e.getMessage());
        }
        try {
            new Provenance("http://localhost:3000", null);
            System.out.println("no error");
        } catch (ProvenanceException e) {
            System.out.println(e.status() + "|" + e.getMessage());
        }
    }
}
