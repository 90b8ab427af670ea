package dev.sluice.smoke;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/** Measured figures of each run, printed and appended to {@code smoke-runs/figures.txt} for the record. */
final class Figures {

    private Figures() {
    }

    static synchronized void record(String line) {
        System.out.println("[smoke] " + line);
        try {
            Files.createDirectories(SmokeEnv.runsDir());
            Files.writeString(SmokeEnv.runsDir().resolve("figures.txt"), line + System.lineSeparator(),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("[smoke] cannot write figures.txt: " + e);
        }
    }
}
