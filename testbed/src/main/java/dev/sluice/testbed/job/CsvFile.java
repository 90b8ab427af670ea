package dev.sluice.testbed.job;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A CSV file written line by line and flushed after each line, so the runner can tail it while the job runs. */
public final class CsvFile implements AutoCloseable {

    private final BufferedWriter out;

    public CsvFile(Path file, String header) {
        try {
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            out.write(header);
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public synchronized void line(String line) {
        try {
            out.write(line);
            out.newLine();
            out.flush();
        } catch (IOException e) {
            System.err.println("testbed: cannot write a CSV line: " + e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // end of run
        }
    }
}
