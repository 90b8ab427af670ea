package dev.sluice.bench;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * What the forked benchmark JVM runs with, read from its own command line: whether the Sluice agent was attached with
 * {@code -javaagent:} and with which agent arguments. {@code -Dbench.agent=on|off} (set by {@code run.sh})
 * states what the run expects, so a wrong jar path or a silently failed attach stops the run instead of producing
 * uninstrumented figures labelled as instrumented.
 */
public final class BenchConfig {

    /** The agent's Premain-Class: present on the system class path exactly when -javaagent attached the jar. */
    static final String AGENT_CLASS = "dev.sluice.agent.SluiceAgent";

    private static final BenchConfig CURRENT = fromThisJvm();

    private final String agentArgs; // null: no -javaagent on the command line
    private final String expected;  // "on", "off" or null (not stated)

    BenchConfig(String agentArgs, String expected) {
        this.agentArgs = agentArgs;
        this.expected = expected;
    }

    public static BenchConfig current() {
        return CURRENT;
    }

    static BenchConfig fromThisJvm() {
        return new BenchConfig(agentArgs(ManagementFactory.getRuntimeMXBean().getInputArguments()),
                System.getProperty("bench.agent"));
    }

    /** The argument string of the Sluice -javaagent option ("" when none), or null when the agent is not attached. */
    static String agentArgs(List<String> jvmArguments) {
        for (String argument : jvmArguments) {
            if (argument.startsWith("-javaagent:") && argument.contains("sluice-agent")) {
                int equals = argument.indexOf('=');
                return equals < 0 ? "" : argument.substring(equals + 1);
            }
        }
        return null;
    }

    public boolean agentOnCommandLine() {
        return agentArgs != null;
    }

    /** The runtime's stream, when the agent is attached (looked up in setup; see {@link SluiceProbe}). */
    SluiceProbe probe(int streamId) {
        return agentLoaded() ? SluiceProbe.of(streamId) : null;
    }

    public String describe() {
        return agentArgs == null ? "no agent" : "agent[" + agentArgs + "]";
    }

    /** The strategy the agent was configured with (agent argument, else -Dsluice.strategy, else the default). */
    public String strategy() {
        String fromArgs = null;
        if (agentArgs != null) {
            for (String pair : agentArgs.split(",")) {
                if (pair.startsWith("sluice.strategy=")) {
                    fromArgs = pair.substring("sluice.strategy=".length());
                }
            }
        }
        return fromArgs != null ? fromArgs : System.getProperty("sluice.strategy", "throttle");
    }

    /**
     * Fails the trial when the JVM is not what the run expects: the agent stated but not loaded (or the reverse), or,
     * for a lossy strategy under a bound far below the offered rate, an agent that loaded but does not enforce.
     */
    void check(BenchReceiver receiver, NoOpSupervisor supervisor, String bound) {
        boolean loaded = agentLoaded();
        if (agentArgs != null && !loaded) {
            throw new IllegalStateException("-javaagent names the Sluice agent but " + AGENT_CLASS
                    + " is not on the system class path");
        }
        if ("on".equals(expected) && !loaded) {
            throw new IllegalStateException("run expects the Sluice agent (-Dbench.agent=on) but it is not attached");
        }
        if ("off".equals(expected) && loaded) {
            throw new IllegalStateException("run expects no agent (-Dbench.agent=off) but it is attached");
        }
        if (loaded) {
            checkAdviceRuns(receiver, bound);
            if (!"none".equals(bound) && Long.parseLong(bound) <= 10_000 && !"throttle".equals(strategy())) {
                checkDiscards(receiver, supervisor);
            }
        }
    }

    /**
     * The advice must count a stored record in the runtime's stream, which must run the configured strategy and, when
     * the benchmark sent a bound through {@code RateLimiter.updateRate}, have learned exactly that bound.
     */
    private void checkAdviceRuns(BenchReceiver receiver, String bound) {
        SluiceProbe before = SluiceProbe.of(receiver.streamId());
        long offeredBefore = before == null ? 0 : before.offered();
        receiver.store("probe");
        SluiceProbe stream = SluiceProbe.of(receiver.streamId());
        if (stream == null || stream.offered() != offeredBefore + 1) {
            throw new IllegalStateException("agent attached but Receiver.store(T) is not advised: the runtime did not "
                    + "count the stored record (check the agent's log for a compatibility or configuration message)");
        }
        if (!stream.strategyName().equals(strategy())) {
            throw new IllegalStateException("stream runs strategy '" + stream.strategyName() + "', expected '"
                    + strategy() + "'");
        }
        if (!"none".equals(bound) && stream.effectiveBound() != Long.parseLong(bound)) {
            throw new IllegalStateException("stream's bound is " + stream.effectiveBound() + " records/s, expected " + bound
                    + " (learned from RateLimiter.updateRate)");
        }
        if ("none".equals(bound) && !Double.isInfinite(stream.effectiveBound())) {
            throw new IllegalStateException("stream has a bound (" + stream.effectiveBound() + ") though none was sent");
        }
        System.out.println("[sluice-bench] advice verified: " + stream);
    }

    /**
     * Under a bound of at most 10,000 records/s, a lossy strategy must discard most of 200,000 records offered as fast
     * as possible (sampling needs a moment to measure the offered rate, hence a few rounds).
     */
    private static void checkDiscards(BenchReceiver receiver, NoOpSupervisor supervisor) {
        Object record = "probe";
        for (int round = 0; round < 20; round++) {
            long before = supervisor.pushed();
            for (int i = 0; i < 200_000; i++) {
                receiver.store(record);
            }
            if (supervisor.pushed() - before < 100_000) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("agent attached but store(single) discards nothing under the bound: "
                + "the agent does not enforce (check its log for a compatibility or configuration message)");
    }

    static boolean agentLoaded() {
        try {
            Class.forName(AGENT_CLASS, false, ClassLoader.getSystemClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
