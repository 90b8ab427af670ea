package dev.sluice.testbed.source;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The wire format of one generated record: a fixed-length ASCII line {@code <cost>,<seq>,<sendEpochMs>,<padding>\n}.
 * Fixed length keeps partial-write accounting exact and makes the stored size of a record predictable (about the
 * reference's ~110 bytes once Spark serialises it).
 */
public final class Records {

    /** Bytes per record on the wire, newline included. */
    public static final int LENGTH = 100;

    private static final byte[] PADDING = "x".repeat(LENGTH).getBytes(StandardCharsets.US_ASCII);

    private Records() {
    }

    /** Appends one record to {@code out} (which must have {@link #LENGTH} bytes remaining). */
    public static void write(ByteBuffer out, int cost, long seq, long sendEpochMs) {
        int start = out.position();
        putLong(out, cost);
        out.put((byte) ',');
        putLong(out, seq);
        out.put((byte) ',');
        putLong(out, sendEpochMs);
        out.put((byte) ',');
        int used = out.position() - start;
        out.put(PADDING, 0, LENGTH - 1 - used);
        out.put((byte) '\n');
    }

    private static void putLong(ByteBuffer out, long v) {
        if (v == 0) {
            out.put((byte) '0');
            return;
        }
        int digits = 0;
        for (long t = v; t > 0; t /= 10) {
            digits++;
        }
        int pos = out.position() + digits;
        for (long t = v; t > 0; t /= 10) {
            out.put(--pos, (byte) ('0' + (t % 10)));
        }
        out.position(out.position() + digits);
    }

    /** The cost field of a line (the job's per-record work), or -1 when the line is not a record. */
    public static int cost(String line) {
        int comma = line.indexOf(',');
        if (comma <= 0) {
            return -1;
        }
        try {
            return Integer.parseInt(line, 0, comma, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The send time field of a line, or -1. */
    public static long sendEpochMs(String line) {
        int a = line.indexOf(',');
        int b = a < 0 ? -1 : line.indexOf(',', a + 1);
        int c = b < 0 ? -1 : line.indexOf(',', b + 1);
        if (c < 0) {
            return -1;
        }
        try {
            return Long.parseLong(line, b + 1, c, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
