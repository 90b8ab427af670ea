package dev.sluice.strategy.builtin;

/** A strategy name or class that cannot be turned into a strategy; the message names the value and what is allowed. */
public final class StrategyLoadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String value;

    public StrategyLoadException(String value, String message, Throwable cause) {
        super(message, cause);
        this.value = value;
    }

    /** The value that was asked for. */
    public String value() {
        return value;
    }
}
