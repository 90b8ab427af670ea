package dev.sluice.rate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test sink: every publication in order, and the latest bound per stream. */
final class RecordingSink implements BoundSink {
    final List<long[]> published = new ArrayList<>();
    final Map<Integer, Long> latest = new LinkedHashMap<>();
    /** False: the streams are planned once per batch (a direct Kafka stream), as {@link BoundSink#admitsContinuously}. */
    boolean continuous = true;

    @Override
    public boolean admitsContinuously(int streamId) {
        return continuous;
    }

    @Override
    public void publish(int streamId, long recordsPerSecond) {
        published.add(new long[] {streamId, recordsPerSecond});
        latest.put(streamId, recordsPerSecond);
    }

    long latest(int streamId) {
        Long value = latest.get(streamId);
        return value == null ? -1 : value;
    }

    void clear() {
        published.clear();
        latest.clear();
    }
}
