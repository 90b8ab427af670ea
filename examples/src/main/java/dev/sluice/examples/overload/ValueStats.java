package dev.sluice.examples.overload;

import java.io.File;
import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Driver-side file of {@code batchTimeMs,records,meanValue} per batch of one stream (as the job processed them).
 * Serializable only because Spark checks that a foreachRDD closure is; it is used on the driver alone.
 */
final class ValueStats implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private final File file;

    ValueStats(File file) {
        this.file = file;
        try (PrintWriter w = new PrintWriter(new FileWriter(file, false))) {
            w.println("batchTimeMs,records,meanValue");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void write(long batchTimeMs, long records, long sum) {
        try (PrintWriter w = new PrintWriter(new FileWriter(file, true))) {
            w.println(batchTimeMs + "," + records + "," + (records == 0 ? -1 : sum / records));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
