package dev.sluice.agent.metrics;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Makes drops visible in the log: per stream, the share of offered records dropped over each window (the summary
 * line shows it), and a WARN when that share exceeds {@code sluice.metrics.dropWarnShare}, at most once per stream
 * every {@link #WARN_EVERY_MS}. Fed by the metrics thread with the cumulative counters and the time, never the clock.
 */
final class DropWatch {

    static final long WARN_EVERY_MS = 5 * 60_000L;

    private final double warnShare;
    private final Map<Integer, StreamWindow> windows = new HashMap<Integer, StreamWindow>();

    /** @param warnShare a WARN above this share; 1 (or more) never warns, since no window drops more than it offers */
    DropWatch(double warnShare) {
        this.warnShare = warnShare;
    }

    private static final class StreamWindow {
        long offered;
        long dropped;
        long startMs;
        double share = Double.NaN;
        long lastWarnMs = Long.MIN_VALUE;
        int suppressed;
    }

    /**
     * Closes the stream's window at {@code now} with its cumulative counters and opens the next.
     *
     * @return the WARN line when the window dropped more than the configured share and none was logged recently, else
     *         null
     */
    String windowClosed(long now, int streamId, String strategy, long offered, long dropped, long bound) {
        StreamWindow w = windows.get(streamId);
        if (w == null || offered < w.offered) {
            // first sight of the stream (or its counters restarted): the window starts now
            w = w == null ? new StreamWindow() : w;
            w.offered = offered;
            w.dropped = dropped;
            w.startMs = now;
            w.share = Double.NaN;
            windows.put(streamId, w);
            return null;
        }
        long dOffered = offered - w.offered;
        long dDropped = dropped - w.dropped;
        long spanMs = now - w.startMs;
        w.offered = offered;
        w.dropped = dropped;
        w.startMs = now;
        w.share = dOffered > 0 ? (double) dDropped / dOffered : Double.NaN;
        if (dOffered <= 0 || w.share <= warnShare) {
            return null;
        }
        if (w.lastWarnMs != Long.MIN_VALUE && now - w.lastWarnMs < WARN_EVERY_MS) {
            w.suppressed++;
            return null;
        }
        String earlier = w.suppressed > 0 ? " (" + w.suppressed + " more such windows since the last warning)" : "";
        w.lastWarnMs = now;
        w.suppressed = 0;
        return String.format(Locale.ROOT, "stream %d [%s] dropped %d of %d offered records (%s) over the last %d s, "
                        + "more than sluice.metrics.dropWarnShare=%s: it loses input to stay within its bound (%s)%s; "
                        + "warned at most once every %d min per stream", streamId, strategy, dDropped, dOffered,
                percent(w.share), Math.round(spanMs / 1000.0), trim(warnShare), bound < 0 ? "none" : bound + "/s",
                earlier, WARN_EVERY_MS / 60_000);
    }

    /** Share dropped over the stream's last closed window, NaN when it offered nothing or none closed yet. */
    double lastShare(int streamId) {
        StreamWindow w = windows.get(streamId);
        return w == null ? Double.NaN : w.share;
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", share * 100);
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
