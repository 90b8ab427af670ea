package dev.sluice.testbed.kafka;

import dev.sluice.testbed.report.Csv;
import dev.sluice.testbed.run.Mode;
import dev.sluice.testbed.scenario.Rate;
import dev.sluice.testbed.scenario.Scenario;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Kafka job's capacity, measured in the run that needs it: a stock run offered {@link #PROBE_RATE}/s at cost 7 for
 * {@link #PROBE_MS} with {@code spark.streaming.kafka.maxRatePerPartition} = {@link #PROBE_PARTITION_RATE}, so that
 * every batch holds the same {@code 4 x 2000} records whatever the machine's speed (an uncapped overloaded probe gets
 * batches of many seconds each, too few to judge; seen here: 30 000-record batches of 6 s). Capacity = the median over
 * the completed batches (the first {@link #SKIPPED} left out: JVM warm-up) of records ÷ processing time. A direct
 * stream has no receiver and no block store between Kafka and the work, so this is the rate at which the job works
 * through records; it reads slightly low by a batch's fixed overhead, and low when the machine is busier during the
 * probe than during the runs.
 */
public final class KafkaCapacity {

    static final double PROBE_RATE = 12_000;
    static final int PROBE_PARTITION_RATE = 2_000;
    static final long PROBE_MS = 25_000;
    static final int SKIPPED = 2;
    static final int MIN_BATCHES = 3;

    /** The capacity in records/s and how it was found. */
    public record Measured(double recordsPerSecond, String how) {
    }

    private KafkaCapacity() {
    }

    /** The probe's scenario: 2 s idle, then {@link #PROBE_RATE}/s at cost 7 (never time-scaled). */
    static Scenario probeScenario() {
        return Scenario.builder("kafka-capacity").idle(2000).hold(PROBE_MS, Rate.absolute(PROBE_RATE), 7).build();
    }

    /** Runs the probe (stock mode) into {@code <out>/kafka-capacity/stock} and reads the capacity from it. */
    public static Measured probe(KafkaModeRunner runner, Path out, PrintStream console) {
        Path dir = runner.run(probeScenario().resolve(0), Mode.STOCK, out.resolve("kafka-capacity").resolve("stock"),
                "[capacity]", Map.of("spark.streaming.kafka.maxRatePerPartition",
                        Integer.toString(PROBE_PARTITION_RATE)));
        Csv b = Csv.read(dir.resolve("batches.csv"));
        List<long[]> batches = new ArrayList<>();
        for (int i = 0; i < b.size(); i++) {
            batches.add(new long[] {b.lng(i, "records"), b.lng(i, "processingDelayMs")});
        }
        Measured m = fromBatches(batches);
        console.println(m.how());
        return m;
    }

    /**
     * @param batches completed batches in order, each {@code {records, processingDelayMs}}
     * @throws IllegalStateException when fewer than {@link #MIN_BATCHES} batches with records remain to judge
     */
    static Measured fromBatches(List<long[]> batches) {
        List<Double> rates = new ArrayList<>();
        int seen = 0;
        for (long[] x : batches) {
            if (x[0] <= 0 || x[1] <= 0) {
                continue;
            }
            if (seen++ < SKIPPED) {
                continue;
            }
            rates.add(x[0] * 1000.0 / x[1]);
        }
        if (rates.size() < MIN_BATCHES) {
            throw new IllegalStateException("the Kafka capacity probe completed only " + rates.size()
                    + " batches to judge (needs " + MIN_BATCHES + "); the machine may be overloaded, or give "
                    + "--capacity N");
        }
        rates.sort(Double::compare);
        double median = rates.get(rates.size() / 2);
        return new Measured(median, String.format(Locale.ROOT, "kafka probe: median records ÷ processing time of %d "
                + "stock batches of up to 8000 records = %.0f/s (range %.0f–%.0f)", rates.size(), median, rates.get(0),
                rates.get(rates.size() - 1)));
    }
}
