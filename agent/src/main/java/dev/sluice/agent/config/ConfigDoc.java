package dev.sluice.agent.config;

/**
 * Prints the Markdown table of every configuration key, generated from {@link ConfigKeys}; the READMEs' tables are this
 * output. Run: {@code java -cp agent/target/sluice-agent-<version>.jar dev.sluice.agent.config.ConfigDoc}, or with
 * {@code --update README.md} to rewrite the region between {@value #START} and {@value #END} in place.
 */
public final class ConfigDoc {

    static final String START = "<!-- config-table:start -->";
    static final String END = "<!-- config-table:end -->";

    private ConfigDoc() {
    }

    public static void main(String[] args) throws java.io.IOException {
        if (args.length >= 2 && "--update".equals(args[0])) {
            for (int i = 1; i < args.length; i++) {
                java.nio.file.Path file = java.nio.file.Paths.get(args[i]);
                String text = new String(java.nio.file.Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8);
                java.nio.file.Files.write(file, withTable(text).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return;
        }
        System.out.print(markdown());
    }

    /** {@code text} with the region between the markers replaced by the generated table. */
    static String withTable(String text) {
        int start = text.indexOf(START);
        int end = text.indexOf(END);
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("no " + START + " ... " + END + " region");
        }
        return text.substring(0, start + START.length()) + "\n" + markdown() + text.substring(end);
    }

    public static String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| key | default | allowed | what it does |\n");
        sb.append("|---|---|---|---|\n");
        for (ConfigKey k : ConfigKeys.all()) {
            row(sb, k.name, k.defaultValue.isEmpty() ? "(unset)" : k.defaultValue, k.allowed, k.doc);
        }
        row(sb, "sluice.stream.<id>.strategy", "value of sluice.strategy", ConfigKeys.STRATEGY.allowed,
                "Strategy of one input stream (id = InputDStream.id = Receiver.streamId), overriding sluice.strategy.");
        for (ConfigKey k : ConfigKeys.queryKeys()) {
            row(sb, k.name, k.defaultValue.isEmpty() ? "(unset)" : k.defaultValue, k.allowed, k.doc);
        }
        row(sb, "sluice.strategy.<param>", "(unset)", "free-form",
                "A parameter read by the strategy (e.g. the top-K example's K).");
        row(sb, "sluice.stream.<id>.strategy.<param>", "value of sluice.strategy.<param>", "free-form",
                "A strategy parameter for one stream.");
        sb.append("\nEvery key can also be set in Spark's configuration with the prefix `spark.` "
                + "(`--conf spark.sluice.strategy=drop`). Precedence: agent arguments (`config=/path` and inline "
                + "`key=value` pairs separated by `,`) > `-Dsluice.*` > `SLUICE_*` environment (key upper-cased, "
                + "`.` → `_`) > SparkConf `spark.sluice.*` > properties file > defaults (docs/configuration.md).\n");
        return sb.toString();
    }

    private static void row(StringBuilder sb, String key, String def, String allowed, String doc) {
        sb.append("| `").append(key).append("` | `").append(def).append("` | ").append(escape(allowed)).append(" | ")
                .append(escape(doc)).append(" |\n");
    }

    private static String escape(String s) {
        return s.replace("|", "\\|");
    }
}
