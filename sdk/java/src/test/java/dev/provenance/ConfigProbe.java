package dev.provenance;

/**
 * Run by ClientTest in a child JVM with a chosen environment:
 *   missing            without PROVENANCE_URL/TOKEN: prints how configuration fails (status|message)
 *   env URL            with PROVENANCE_URL/TOKEN/ORG set: one call configured from the environment,
 *                      then one with explicit settings against URL, which must win
 */
public final class ConfigProbe {
    private ConfigProbe() {}

    public static void main(String[] args) {
        if (args.length > 0 && "env".equals(args[0])) {
            System.out.println(Json.write(new Provenance().api().inboundSources().list()));
            Provenance explicit = Provenance.builder().url(args[1]).token("prv_explicit_token_value").org("explicit-org").build();
            System.out.println(Json.write(explicit.api().inboundSources().list()));
            return;
        }
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
        try {
            new Provenance(null, "prv_some_token_value").api();
            System.out.println("no error");
        } catch (ProvenanceException e) {
            System.out.println(e.status() + "|" + e.getMessage());
        }
    }
}
