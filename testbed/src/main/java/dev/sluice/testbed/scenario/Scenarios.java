package dev.sluice.testbed.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Finds a scenario by name (shipped under testbed/scenarios/, on the class path as {@code scenarios/<name>.scn}) or
 * by file path.
 */
public final class Scenarios {

    /** The shipped scenarios, in the order the documentation lists them. */
    public static final List<String> SHIPPED = List.of("overload", "spike", "spike-long", "spike-high", "slow-ramp",
            "burst", "cold-start", "noisy-neighbour", "capacity", "backlog");

    private Scenarios() {
    }

    public static Scenario load(String nameOrPath) {
        String resource = "scenarios/" + nameOrPath + ".scn";
        try (InputStream in = Scenarios.class.getClassLoader().getResourceAsStream(resource)) {
            if (in != null) {
                return ScenarioParser.parse(nameOrPath, nameOrPath + ".scn",
                        new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path file = Paths.get(nameOrPath);
        if (Files.isRegularFile(file)) {
            String name = file.getFileName().toString().replaceFirst("\\.scn$", "");
            try {
                return ScenarioParser.parse(name, file.toString(), Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read scenario file " + file, e);
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + nameOrPath + "': not a shipped scenario ("
                + String.join(", ", SHIPPED) + ") and no such file");
    }
}
