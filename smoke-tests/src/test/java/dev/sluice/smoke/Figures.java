package dev.sluice.smoke;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/** Measured figures of each run, printed and appended to {@code smoke-runs/figures.txt} for the record. */
final class Figures {

    private Figures() {
    }

    /** The machine's 1/5/15-minute load: runs share 2 cores with whatever else is running. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(java.nio.file.Paths.get("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    static synchronized void record(String line) {
        line = line + " [load " + loadAverage() + "]";
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
