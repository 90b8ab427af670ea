package dev.sluice.agent;

import java.lang.instrument.Instrumentation;

/**
 * The {@code -javaagent} entry points. Tiny on purpose: everything happens in {@link AgentBootstrap}, and any failure is
 * caught here so the host JVM always starts (only {@code sluice.failOnError=true} with a bad configuration stops it).
 */
public final class SluiceAgent {

    private SluiceAgent() {
    }

    public static void premain(String agentArgs, Instrumentation instrumentation) {
        start(agentArgs, instrumentation, false);
    }

    public static void agentmain(String agentArgs, Instrumentation instrumentation) {
        start(agentArgs, instrumentation, true);
    }

    private static void start(String agentArgs, Instrumentation instrumentation, boolean late) {
        try {
            AgentBootstrap.start(agentArgs, instrumentation, late);
        } catch (AgentBootstrap.ExitRequested exit) {
            System.exit(exit.status);
        } catch (Throwable t) {
            try {
                System.err.println("Sluice: failed to start (" + t + "); Spark runs uninstrumented");
            } catch (Throwable ignored) {
                // nothing left to do; never let the agent kill the JVM
            }
        }
    }
}
