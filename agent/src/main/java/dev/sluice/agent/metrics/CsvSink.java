package dev.sluice.agent.metrics;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Appends CSV lines to one file, with a header when the file is new. Plain Java IO, called only from the metrics thread
 * (never on the store path); flushed after every batch of lines so another process can tail it.
 */
final class CsvSink {

    private final File file;
    private final String header;
    private Writer out;
    private boolean failed;

    CsvSink(File file, String header) {
        this.file = file;
        this.header = header;
    }

    File file() {
        return file;
    }

    void write(Iterable<String> lines) {
        if (failed) {
            return;
        }
        try {
            if (out == null) {
                File dir = file.getParentFile();
                if (dir != null && !dir.isDirectory() && !dir.mkdirs() && !dir.isDirectory()) {
                    throw new IOException("cannot create directory " + dir);
                }
                boolean fresh = !file.exists() || file.length() == 0;
                out = new OutputStreamWriter(new FileOutputStream(file, true), StandardCharsets.UTF_8);
                if (fresh) {
                    out.write(header);
                    out.write('\n');
                }
            }
            for (String line : lines) {
                out.write(line);
                out.write('\n');
            }
            out.flush();
        } catch (IOException e) {
            failed = true;
            dev.sluice.runtime.SluiceLog.warn("metrics file " + file + " cannot be written; CSV sink off", e);
        }
    }

    void close() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException ignored) {
            // closing at shutdown; nothing to do
        }
    }
}
