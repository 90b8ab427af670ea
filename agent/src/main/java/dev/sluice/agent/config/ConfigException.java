package dev.sluice.agent.config;

/** An invalid configuration: the message is the one line the user sees, naming the key, the value and what is allowed. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public final String key;
    public final String value;

    public ConfigException(String key, String value, String allowed) {
        super("Sluice: invalid configuration: key '" + key + "' has value '" + value + "'; allowed: " + allowed);
        this.key = key;
        this.value = value;
    }
}
