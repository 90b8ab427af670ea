package dev.sluice.agent;

import dev.sluice.agent.config.ConfigCheck;
import dev.sluice.agent.config.ConfigDoc;
import dev.sluice.agent.config.ConfigException;

import java.io.File;
import java.io.PrintStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar sluice-agent.jar}: the jar explains itself (version, supported Spark lines, how to attach it), prints
 * its configuration reference and checks a configuration offline with the agent's own messages.
 */
public final class Main {

    /** Exit codes: valid / invalid configuration / bad command line. */
    static final int OK = 0;
    static final int INVALID = 1;
    static final int USAGE = 2;

    static final String SPARK_LINES = "3.4, 3.5 (Scala 2.12 and 2.13), 4.0, 4.1, 4.2 (Scala 2.13); any other version "
            + "is checked against the hooked methods at start-up and left uninstrumented on a mismatch";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.print(usage());
            return OK;
        }
        switch (args[0]) {
            case "--version":
                out.println("Sluice " + AgentBootstrap.VERSION);
                return OK;
            case "--keys":
                out.print(ConfigDoc.markdown());
                return OK;
            case "--check":
                return check(Arrays.asList(args).subList(1, args.length), out, err);
            default:
                err.println("Sluice: unknown option '" + args[0] + "'");
                err.print(usage());
                return USAGE;
        }
    }

    static String usage() {
        String jar = "sluice-agent.jar";
        return "Sluice " + AgentBootstrap.VERSION + ": adaptive back-pressure for unmodified Spark Streaming receivers,"
                + " as a -javaagent.\n"
                + "Spark lines: " + SPARK_LINES + ".\n"
                + "\n"
                + "Attach it to the driver and to every executor, with an absolute path:\n"
                + "  spark-submit --driver-java-options -javaagent:/opt/sluice/" + jar + " \\\n"
                + "    --conf spark.executor.extraJavaOptions=-javaagent:/opt/sluice/" + jar + " \\\n"
                + "    --conf spark.sluice.strategy=drop ...\n"
                + "Configure it with spark.sluice.* in SparkConf, agent arguments (-javaagent:" + jar + "=key=value,...),\n"
                + "-Dsluice.*, SLUICE_* environment variables or a properties file (config=/path); --keys lists every key.\n"
                + "\n"
                + "Usage:\n"
                + "  java -jar " + jar + " --version     the version\n"
                + "  java -jar " + jar + " --keys        every configuration key: default, allowed values, meaning\n"
                + "  java -jar " + jar + " --check [--classpath <jars>] <file | key=value>...\n"
                + "      validates a configuration offline with the agent's own messages: a Sluice properties file,\n"
                + "      spark-defaults.conf (its spark.sluice.* keys; other spark.* keys are skipped) or key=value pairs\n"
                + "      (sluice.* or spark.sluice.*; a later one wins). --classpath (the application's jars, separated\n"
                + "      by '" + File.pathSeparator + "') also loads the strategy classes the configuration names.\n"
                + "      Exit code 0: valid; 1: invalid; 2: bad command line.\n";
    }

    static int check(List<String> args, PrintStream out, PrintStream err) {
        List<String> inputs = new ArrayList<>();
        String classpath = null;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--classpath")) {
                if (i + 1 >= args.size()) {
                    err.println("Sluice: --classpath needs a value");
                    return USAGE;
                }
                classpath = args.get(++i);
            } else {
                inputs.add(args.get(i));
            }
        }
        if (inputs.isEmpty()) {
            err.println("Sluice: --check needs a file or key=value pairs");
            err.print(usage());
            return USAGE;
        }
        ConfigCheck.Result result;
        try {
            result = ConfigCheck.check(inputs);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return INVALID;
        }
        List<String> classes = StrategyClasses.classNames(result.config);
        if (classpath != null && !classes.isEmpty()) {
            try (URLClassLoader loader = new URLClassLoader(urls(classpath), Main.class.getClassLoader())) {
                List<String> problems = StrategyClasses.problems(result.config, loader);
                if (!problems.isEmpty()) {
                    for (String p : problems) {
                        err.println(p);
                    }
                    return INVALID;
                }
            } catch (java.io.IOException e) {
                err.println("Sluice: --classpath " + classpath + ": " + e);
                return USAGE;
            }
        }
        out.println("Sluice: configuration valid: " + result.config.describeUserSettings()
                + (result.skippedSparkKeys > 0 ? "; " + result.skippedSparkKeys + " other spark.* keys skipped" : ""));
        if (!classes.isEmpty()) {
            out.println(classpath == null
                    ? "Sluice: strategy classes not checked (give --classpath with the application's jars): " + classes
                    : "Sluice: strategy classes load and instantiate: " + classes);
        }
        return OK;
    }

    private static URL[] urls(String classpath) throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.trim().isEmpty()) {
                urls.add(new File(entry.trim()).toURI().toURL());
            }
        }
        return urls.toArray(new URL[0]);
    }
}
