package dev.sluice.agent;

/** A main class without Spark, for forked-JVM tests of the agent jar. */
public final class HelloMain {
    private HelloMain() {
    }

    public static void main(String[] args) {
        System.out.println("main ran");
    }
}
