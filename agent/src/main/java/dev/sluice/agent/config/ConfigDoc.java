package dev.sluice.agent.config;

/**
 * Prints the Markdown table of every configuration key, generated from {@link ConfigKeys}; the README's table is this
 * output. Run: {@code java -cp agent/target/sluice-agent-<version>.jar dev.sluice.agent.config.ConfigDoc}.
 */
public final class ConfigDoc {

    private ConfigDoc() {
    }

    public static void main(String[] args) {
        System.out.print(markdown());
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
        row(sb, "sluice.strategy.<param>", "(unset)", "free-form",
                "A parameter read by the strategy (e.g. the top-K example's K).");
        row(sb, "sluice.stream.<id>.strategy.<param>", "value of sluice.strategy.<param>", "free-form",
                "A strategy parameter for one stream.");
        sb.append("\nPrecedence: agent arguments (`config=/path` and inline `key=value` pairs separated by `,`) > "
                + "`-Dsluice.*` > `SLUICE_*` environment (key upper-cased, `.` → `_`) > properties file > defaults.\n");
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
