package dev.sluice.agent.config;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

/**
 * Prints {@link ConfigFuzzTest}'s generated configurations for the real-Spark fuzz smoke test, which cannot load this
 * module's classes (the agent jar stays off its class path): run with the agent jar and this module's test classes,
 * {@code ConfigFuzzCorpus <valid> <invalid>} prints that many cases of each verdict, one per line:
 * {@code seed<TAB>expected keys (comma-separated, "-" when valid)<TAB>SOURCE|key|base64(value)...} (for the
 * environment, the variable's name in place of the key).
 *
 * <p>Only cases whose verdict was known when they were generated, that leave {@code sluice.failOnError} unset (a Spark
 * job is not meant to survive that one: it exits, as documented), and whose values survive the way Spark passes JVM
 * options ({@code spark.executor.extraJavaOptions} is split on whitespace and unquoted): printable ASCII without
 * spaces, quotes or backslashes for agent arguments and system properties.
 */
public final class ConfigFuzzCorpus {

    private static final long SEED = 0x5BA4CL;

    private ConfigFuzzCorpus() {
    }

    public static void main(String[] args) {
        int wantValid = Integer.parseInt(args[0]);
        int wantInvalid = Integer.parseInt(args[1]);
        int valid = 0;
        int invalid = 0;
        for (int i = 0; i < 100_000 && (valid < wantValid || invalid < wantInvalid); i++) {
            ConfigFuzzTest.FuzzCase c = ConfigFuzzTest.FuzzCase.generate(new Random(SEED + i));
            if (!c.certain() || !passableThroughSpark(c) || c.winners().containsKey(ConfigKeys.FAIL_ON_ERROR.name)) {
                continue;
            }
            boolean isValid = c.expectedRejectedKeys().isEmpty();
            if (isValid ? valid >= wantValid : invalid >= wantInvalid) {
                continue;
            }
            if (isValid) {
                valid++;
            } else {
                invalid++;
            }
            StringBuilder line = new StringBuilder().append(i).append('\t')
                    .append(isValid ? "-" : String.join(",", c.expectedRejectedKeys()));
            for (ConfigFuzzTest.Setting s : c.settings) {
                String name = s.source == ConfigFuzzTest.Source.ENVIRONMENT ? ConfigKeys.envName(s.key) : s.key;
                line.append('\t').append(s.source.name()).append('|').append(name).append('|')
                        .append(Base64.getEncoder().encodeToString(s.value.getBytes(StandardCharsets.UTF_8)));
            }
            System.out.println(line);
        }
    }

    static boolean passableThroughSpark(ConfigFuzzTest.FuzzCase c) {
        for (ConfigFuzzTest.Setting s : c.settings) {
            if (s.value.indexOf('\u0000') >= 0 || s.value.length() > 1000) {
                return false;
            }
            boolean onACommandLine = s.source == ConfigFuzzTest.Source.AGENT_ARGUMENT
                    || s.source == ConfigFuzzTest.Source.SYSTEM_PROPERTY;
            if (onACommandLine && !s.value.isEmpty() && !s.value.matches("[!#-&(-\\[\\]-~]+")) {
                return false;
            }
            if (onACommandLine && s.value.isEmpty()) {
                return false;
            }
        }
        return true;
    }
}
