package dev.sluice.testbed.scenario;

/** A scenario file that does not follow the format: names the source, the line and what was expected. */
public class ScenarioFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;
    private final int line;

    public ScenarioFormatException(String source, int line, String message) {
        super(source + ":" + line + ": " + message);
        this.line = line;
    }

    /** 1-based line number (0 when the problem is the file as a whole). */
    public int line() {
        return line;
    }
}
