package dev.sluice.agent.config;

/** One configuration key, declared once: its name, type, default, what it allows, and what it does. */
public final class ConfigKey {

    /** How a value is checked; {@link #allowed} is the text the error message and the README show. */
    public enum Type { BOOLEAN, NUMBER, INTEGER, FRACTION, DURATION, CHOICE, STRATEGY, PATH }

    public final String name;
    public final Type type;
    /** The default as text; empty when the key is unset by default. */
    public final String defaultValue;
    /** For {@link Type#CHOICE}: the permitted values; for a duration, {"0"} when 0 turns it off. For numbers and
     * durations (ms): the inclusive minimum. */
    final String[] choices;
    final double min;
    public final String allowed;
    public final String doc;

    private ConfigKey(String name, Type type, String defaultValue, String[] choices, double min, String allowed,
                      String doc) {
        this.name = name;
        this.type = type;
        this.defaultValue = defaultValue;
        this.choices = choices;
        this.min = min;
        this.allowed = allowed;
        this.doc = doc;
    }

    static ConfigKey bool(String name, boolean defaultValue, String doc) {
        return new ConfigKey(name, Type.BOOLEAN, String.valueOf(defaultValue), null, 0, "true or false", doc);
    }

    static ConfigKey number(String name, String defaultValue, double min, String doc) {
        return new ConfigKey(name, Type.NUMBER, defaultValue, null, min, "a number >= " + format(min), doc);
    }

    static ConfigKey positiveNumber(String name, String defaultValue, String doc) {
        return new ConfigKey(name, Type.NUMBER, defaultValue, null, Double.MIN_VALUE, "a number > 0", doc);
    }

    static ConfigKey integer(String name, String defaultValue, long min, String doc) {
        return new ConfigKey(name, Type.INTEGER, defaultValue, null, min, "an integer >= " + min, doc);
    }

    static ConfigKey anyInteger(String name, String defaultValue, String doc) {
        return new ConfigKey(name, Type.INTEGER, defaultValue, null, -Double.MAX_VALUE, "an integer", doc);
    }

    static ConfigKey fraction(String name, String defaultValue, String doc) {
        return new ConfigKey(name, Type.FRACTION, defaultValue, null, 0, "a number from 0 to 1", doc);
    }

    /** A share of something that must not be nothing: above 0, at most 1. */
    static ConfigKey share(String name, String defaultValue, String doc) {
        return new ConfigKey(name, Type.FRACTION, defaultValue, null, Double.MIN_VALUE, "a number > 0 and <= 1", doc);
    }

    /** Spark's duration syntax; a bare number means milliseconds, as in Spark. */
    static final String DURATION_SYNTAX = "a duration as Spark writes it: 500ms, 10s, 2min (units us, ms, s, m or min, "
            + "h, d; a bare number means milliseconds)";

    static ConfigKey duration(String name, String defaultValue, String doc) {
        return new ConfigKey(name, Type.DURATION, defaultValue, null, 0, DURATION_SYNTAX, doc);
    }

    /**
     * A duration of at least {@code minimum} (Spark's syntax, e.g. "1s"); with {@code zeroTurnsOff}, 0 is allowed too and
     * means off. The minimum also catches a bare number written in the old sense of seconds ("10" is 10 ms).
     */
    static ConfigKey duration(String name, String defaultValue, String minimum, boolean zeroTurnsOff, String doc) {
        return new ConfigKey(name, Type.DURATION, defaultValue, zeroTurnsOff ? new String[] {"0"} : null,
                dev.sluice.runtime.RuntimeSettings.parseDurationMs(minimum), DURATION_SYNTAX + ", at least " + minimum
                + (zeroTurnsOff ? ", or 0 to turn it off" : ""), doc);
    }

    static ConfigKey choice(String name, String defaultValue, String doc, String... choices) {
        return new ConfigKey(name, Type.CHOICE, defaultValue, choices, 0, String.join(" | ", choices), doc);
    }

    static ConfigKey strategy(String name, String defaultValue, String doc) {
        return new ConfigKey(name, Type.STRATEGY, defaultValue, null, 0,
                "throttle | drop | sample | a fully qualified class name implementing dev.sluice.strategy.CongestionStrategy",
                doc);
    }

    static ConfigKey path(String name, String allowed, String doc) {
        return new ConfigKey(name, Type.PATH, "", null, 0, allowed, doc);
    }

    /** @return null when {@code value} is acceptable, else the allowed-values text for the error message. */
    String check(String rawValue) {
        String value = rawValue.trim();
        switch (type) {
            case BOOLEAN:
                return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false") ? null : allowed;
            case NUMBER: {
                Double d = parseDouble(value);
                return d != null && d >= min ? null : allowed;
            }
            case INTEGER: {
                try {
                    return Long.parseLong(value) >= min ? null : allowed;
                } catch (NumberFormatException e) {
                    return allowed;
                }
            }
            case FRACTION: {
                Double d = parseDouble(value);
                return d != null && d >= min && d <= 1 ? null : allowed;
            }
            case DURATION:
                return checkDuration(value);
            case CHOICE:
                for (String c : choices) {
                    if (c.equals(value)) {
                        return null;
                    }
                }
                return allowed;
            case STRATEGY:
                return isStrategy(value) ? null : allowed;
            case PATH:
                return value.isEmpty() ? allowed : null;
            default:
                return allowed;
        }
    }

    private String checkDuration(String value) {
        Long ms = dev.sluice.runtime.RuntimeSettings.parseDurationMs(value);
        if (ms == null) {
            return value.matches("[0-9]*\\.[0-9]+[a-zA-Z]*")
                    ? allowed + " ('" + value + "' is a fraction: Spark reads whole numbers only, e.g. 1500ms)"
                    : allowed;
        }
        if (ms == 0 && choices != null) {
            return null;
        }
        if (ms >= min) {
            return null;
        }
        return value.matches("[0-9]+")
                ? allowed + " ('" + value + "' without a unit is " + value + " ms, as in Spark; for seconds write "
                        + value + "s)"
                : allowed;
    }

    static boolean isStrategy(String value) {
        if (value.equals("throttle") || value.equals("drop") || value.equals("sample")) {
            return true;
        }
        // A class name: at least one package, every segment a Java identifier. The class itself may only be visible
        // later (the application's jar), so it is loaded where that jar is visible: on the driver when the
        // StreamingContext starts, on executors when the stream is created, in --check with --classpath.
        String[] parts = value.split("\\.", -1);
        if (parts.length < 2) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || !Character.isJavaIdentifierStart(p.charAt(0))) {
                return false;
            }
            for (int i = 1; i < p.length(); i++) {
                if (!Character.isJavaIdentifierPart(p.charAt(i))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Double parseDouble(String value) {
        try {
            double d = Double.parseDouble(value);
            return Double.isNaN(d) || Double.isInfinite(d) ? null : d;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String format(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
