package dev.sluice.testbed.report;

import dev.sluice.testbed.report.RunData.Batch;
import dev.sluice.testbed.scenario.Phase;
import dev.sluice.testbed.scenario.ResolvedScenario;

import java.util.ArrayList;
import java.util.List;

/**
 * The figures of one mode's run, computed from its {@link RunData}. Every definition is in docs/testbed.md
 * ("Figures"); times are seconds from the scenario start, B is the batch interval.
 *
 * <p>NaN means "not applicable" (e.g. no spike in the scenario); {@link Double#POSITIVE_INFINITY} means "never" (the
 * run did not get there before the load ended).
 */
public final class Figures {

    /** The probe's cost: capacity at another cost c is capacity * 2^(PROBE_COST - c). */
    public static final int PROBE_COST = 7;
    /** A batch is "in real time" when its oldest record waited at most this many batch intervals. */
    public static final double REAL_TIME_LAG_BATCHES = 2.0;
    /** Data age is steady when, over this many batches, ... */
    static final int AGE_GROWTH_BATCHES = 5;
    /** ... the lag grew by at most this many batch intervals. */
    static final double AGE_GROWTH_MAX_BATCHES = 0.5;

    public double steadySchedulingDelayS = Double.NaN;
    public double peakHeapAfterGcMb = Double.NaN;
    public double heapMaxMb = Double.NaN;
    public double goodput = Double.NaN;
    public double processedPerS = Double.NaN;
    /** Mean records/s per stream (0 = socket, 1 = bulk) in the steady window, by batch time. */
    public double steadyRate0 = Double.NaN;
    public double steadyRate1 = Double.NaN;
    public long sluiceDropped;
    public long sourceDropped;
    public long sent;
    public long processed;
    public long backlogAtStop;
    public double timeToSteadyFromStartS = Double.NaN;
    public int batchesToSteadyFromStart = -1;
    public double timeToSteadyAfterSpikeS = Double.NaN;
    public double timeToRecoverAfterSpikeS = Double.NaN;
    public double peakSchedulingDelayS = Double.NaN;
    public double overshoot = Double.NaN;
    public double oscillation = Double.NaN;
    public double minFreeHeapMb = Double.NaN;
    public double minFreeStorageMb = Double.NaN;
    public double storageMaxMb = Double.NaN;
    public String status = "ok";
    /** End-to-end data age over the whole run (batches at t > 0) and per phase (index = phase; see {@link DataAge}). */
    public DataAge age = DataAge.NONE;
    public final List<DataAge> agePerPhase = new ArrayList<>();
    /** Per phase, over its second half (the last phase up to the load's end): how steady the run was there. */
    public final List<PhaseSteadiness> steadinessPerPhase = new ArrayList<>();

    /**
     * Records per batch's coefficient of variation (the bound's oscillation under overload) and the mean and largest
     * scheduling delay of the batches in a phase's second half; NaN when no batch fell there.
     */
    public record PhaseSteadiness(double oscillation, double meanDelayS, double maxDelayS) {
        static PhaseSteadiness of(List<Batch> window) {
            if (window.isEmpty()) {
                return new PhaseSteadiness(Double.NaN, Double.NaN, Double.NaN);
            }
            double[] r = new double[window.size()];
            double delaySum = 0;
            double delayMax = 0;
            for (int i = 0; i < window.size(); i++) {
                r[i] = window.get(i).records();
                delaySum += window.get(i).schedulingDelayS();
                delayMax = Math.max(delayMax, window.get(i).schedulingDelayS());
            }
            double mean = mean(r);
            return new PhaseSteadiness(mean > 0 ? stddev(r, mean) / mean : Double.NaN, delaySum / window.size(),
                    delayMax);
        }
    }
    /** Fraction of the load (load start, L] during which the cluster was processing a batch. */
    public double busyFraction = Double.NaN;
    /** Goodput against the probe's bracket: processed/s ÷ the highest step kept up, ÷ the first that did not. */
    public double goodputVsKeptUp = Double.NaN;
    public double goodputVsFailed = Double.NaN;
    /** The physical limit with the probe's capacity, and with this run's own capacity ({@link Limit#ownCapacity}). */
    public Limit probeLimit;
    public Limit ownLimit;
    public double ownCapacity = Double.NaN;

    /** Records lost (Sluice + source) before the probe's / the own limit's overload began; 0 when it never did. */
    public long lostBeforeOverloadProbe;
    public long lostBeforeOverloadOwn;
    /**
     * Records lost (Sluice + source) after the spike's end (NaN without a spike). The limit loses none there: capacity
     * is back above the offered rate. A bound learned from completed batches still holds the spike's level until the
     * first batch of post-spike records completes, about an interval plus that batch's processing time, so a lossy mode
     * sheds here for at least that long; anything beyond is the controller's (or a capacity lower than the limit's).
     */
    public double lostAfterSpike = Double.NaN;

    public long recordsLost() {
        return sluiceDropped + sourceDropped;
    }

    /** Records lost from the probe's limit's first overload on: what its minimum loss is the yardstick for. */
    public long lostFromOverloadProbe() {
        return recordsLost() - lostBeforeOverloadProbe;
    }

    /** The same with the run's own capacity. */
    public long lostFromOverloadOwn() {
        return recordsLost() - lostBeforeOverloadOwn;
    }

    public static Figures of(RunData d) {
        Figures f = new Figures();
        ResolvedScenario s = d.scenario;
        double b = d.batchS;
        double loadStart = loadStartT(s);
        double loadEnd = d.loadEndT();
        int last = s.phaseCount() - 1;
        double wFrom = (s.phaseStartMs(last) + s.phaseEndMs(last)) / 2000.0;
        double wTo = loadEnd;
        List<Batch> load = between(d.batches, loadStart, loadEnd);

        // Steady window: mean scheduling delay, records per batch and their CV.
        List<Batch> window = between(d.batches, wFrom, wTo);
        if (!window.isEmpty()) {
            double sum = 0;
            double[] r = new double[window.size()];
            for (int i = 0; i < window.size(); i++) {
                sum += window.get(i).schedulingDelayS();
                r[i] = window.get(i).records();
            }
            f.steadySchedulingDelayS = sum / window.size();
            double mean = mean(r);
            f.oscillation = mean > 0 ? stddev(r, mean) / mean : Double.NaN;
            f.overshoot = overshoot(load, mean);
            double r0 = 0;
            double r1 = 0;
            int n = 0;
            for (Batch x : window) {
                if (!x.pending()) {
                    r0 += x.records0();
                    r1 += x.records1();
                    n++;
                }
            }
            if (n > 0) {
                f.steadyRate0 = r0 / n / b;
                f.steadyRate1 = r1 / n / b;
            }
        }

        // Throughput in the window, each batch's records pro-rated over its processing interval, against capacity at
        // the window's cost and against the probe's bracket.
        if (wTo > wFrom) {
            f.processedPerS = processedIn(d.batches, wFrom, wTo) / (wTo - wFrom);
            int cost = s.phase(last).cost();
            double cap = capacityAt(d.capacity(), cost);
            f.goodput = cap > 0 ? f.processedPerS / cap : Double.NaN;
            double[] bracket = d.capacityBracket();
            f.goodputVsKeptUp = f.processedPerS / capacityAt(bracket[0], cost);
            f.goodputVsFailed = f.processedPerS / capacityAt(bracket[1], cost);
        }

        // What users feel: data age, whole run and per phase; how busy the cluster was; the limit of this run.
        f.age = DataAge.of(d.batches, 0, Double.POSITIVE_INFINITY, d.stopT);
        for (int i = 0; i < s.phaseCount(); i++) {
            double to = i == last ? Double.POSITIVE_INFINITY : s.phaseEndMs(i) / 1000.0;
            f.agePerPhase.add(DataAge.of(d.batches, s.phaseStartMs(i) / 1000.0, to, d.stopT));
            double end = i == last ? loadEnd : s.phaseEndMs(i) / 1000.0;
            double half = (s.phaseStartMs(i) / 1000.0 + end) / 2;
            f.steadinessPerPhase.add(PhaseSteadiness.of(between(d.batches, half, end)));
        }
        f.busyFraction = Limit.busyFraction(d.batches, loadStart, loadEnd);
        f.probeLimit = Limit.of(s, d.capacity());
        f.ownCapacity = Limit.ownCapacity(d);
        f.ownLimit = Limit.of(s, f.ownCapacity);

        // Peaks.
        double peak = Double.NaN;
        for (Batch x : d.batches) {
            if (x.t() > 0 && (Double.isNaN(peak) || x.schedulingDelayS() > peak)) {
                peak = x.schedulingDelayS();
            }
        }
        f.peakSchedulingDelayS = peak;
        for (RunData.MemorySample m : d.memory) {
            if (m.t() >= 0 && m.t() <= d.stopT) {
                if (!Double.isNaN(m.heapAfterGcMb())
                        && (Double.isNaN(f.peakHeapAfterGcMb) || m.heapAfterGcMb() > f.peakHeapAfterGcMb)) {
                    f.peakHeapAfterGcMb = m.heapAfterGcMb();
                }
                double free = m.heapMaxMb() - m.heapUsedMb();
                if (!Double.isNaN(free) && (Double.isNaN(f.minFreeHeapMb) || free < f.minFreeHeapMb)) {
                    f.minFreeHeapMb = free;
                }
                if (!Double.isNaN(m.heapMaxMb())) {
                    f.heapMaxMb = m.heapMaxMb();
                }
                double freeStorage = m.storageMaxMb() - m.storageUsedMb();
                if (!Double.isNaN(freeStorage)
                        && (Double.isNaN(f.minFreeStorageMb) || freeStorage < f.minFreeStorageMb)) {
                    f.minFreeStorageMb = freeStorage;
                    f.storageMaxMb = m.storageMaxMb();
                }
            }
        }

        // Losses.
        f.sluiceDropped = sluiceDropped(d);
        for (RunData.SourceSecond x : d.source) {
            f.sourceDropped += x.dropped();
            f.sent += x.sent();
        }
        for (Batch x : d.batches) {
            if (!x.pending() && x.t() > 0) {
                f.processed += x.records();
            }
        }
        f.backlogAtStop = Math.max(0, f.sent - f.sluiceDropped - f.processed);
        f.lostBeforeOverloadProbe = lostBefore(d, f.probeLimit.overloadFromS());
        f.lostBeforeOverloadOwn = lostBefore(d, f.ownLimit.overloadFromS());
        int spike = spikePhase(s);
        if (spike >= 0) {
            f.lostAfterSpike = f.recordsLost() - lostBefore(d, s.phaseEndMs(spike) / 1000.0);
        }

        // Steady state from the start: up to the spike's start when there is one, else to the end of the load.
        double steadyUntil = spike >= 0 ? s.phaseStartMs(spike) / 1000.0 : loadEnd;
        List<Batch> beforeSpike = between(d.batches, loadStart, steadyUntil);
        java.util.function.Predicate<Batch> steady = x -> x.schedulingDelayS() < b && !x.pending()
                && !ageGrows(d.batches, x, b);
        int k = firstFromWhichAll(beforeSpike, steady);
        if (k >= 0) {
            f.batchesToSteadyFromStart = k;
            f.timeToSteadyFromStartS = Math.max(0, beforeSpike.get(k).t() - loadStart);
        } else if (!beforeSpike.isEmpty()) {
            f.timeToSteadyFromStartS = Double.POSITIVE_INFINITY;
        }
        if (spike >= 0) {
            double spikeStart = s.phaseStartMs(spike) / 1000.0;
            double spikeEnd = s.phaseEndMs(spike) / 1000.0;
            List<Batch> after = between(d.batches, spikeStart, loadEnd);
            f.timeToSteadyAfterSpikeS = sinceEnd(after, spikeEnd, firstFromWhichAll(after, steady));
            f.timeToRecoverAfterSpikeS = sinceEnd(after, spikeEnd, firstFromWhichAll(after,
                    steady.and(x -> x.lagS() <= REAL_TIME_LAG_BATCHES * b)));
        }

        List<String> problems = new ArrayList<>();
        if (d.timedOut()) {
            problems.add("timed out");
        }
        if (!d.failure().isEmpty()) {
            problems.add(d.failure());
        }
        for (String e : d.events) {
            if (e.startsWith("executor-removed") || e.startsWith("receiver-error")) {
                problems.add(e.length() > 80 ? e.substring(0, 80) : e);
            }
        }
        String shared = receiversShareOneExecutor(d.events);
        if (shared != null) {
            problems.add("both receivers on executor " + shared + " (locality-wait risk)");
        }
        if (!problems.isEmpty()) {
            f.status = String.join("; ", problems);
        }
        return f;
    }

    /** Records of completed batches processed within (from, to]: each batch's records spread over its processing. */
    static double processedIn(List<Batch> batches, double from, double to) {
        double done = 0;
        for (Batch x : batches) {
            if (x.pending()) {
                continue;
            }
            double start = x.startT();
            if (x.endT() > start) {
                done += x.records() * Math.max(0, Math.min(to, x.endT()) - Math.max(from, start))
                        / (x.endT() - start);
            } else if (x.endT() > from && x.endT() <= to) {
                done += x.records();
            }
        }
        return done;
    }

    /**
     * Whether the data age at batch time (lag) grows at {@code x}: its lag exceeds that of the latest batch with
     * records at least {@link #AGE_GROWTH_BATCHES} batches earlier by more than {@link #AGE_GROWTH_MAX_BATCHES} × B
     * (false when there is none, or x holds no record). A throttled receiver keeps Spark's scheduling delay small while
     * the records behind it wait longer and longer; such a run is not steady.
     */
    static boolean ageGrows(List<Batch> all, Batch x, double b) {
        int i = all.indexOf(x);
        if (i < 0 || !hasSendTimes(x)) {
            return false;
        }
        for (int j = i - AGE_GROWTH_BATCHES; j >= 0; j--) {
            if (hasSendTimes(all.get(j))) {
                return x.lagS() - all.get(j).lagS() > AGE_GROWTH_MAX_BATCHES * b;
            }
        }
        return false;
    }

    private static boolean hasSendTimes(Batch x) {
        return !x.pending() && x.records() > 0 && !Double.isNaN(x.oldestSendT());
    }

    /**
     * The executor id when every stream's latest receiver start was on one executor (and there are at least two
     * streams): that executor's cores are all held by receivers, which invites the locality-wait trap; else null.
     */
    static String receiversShareOneExecutor(List<String> events) {
        java.util.Map<String, String> latest = new java.util.HashMap<>();
        for (String e : events) {
            String[] p = e.split(" ");
            int ex = java.util.Arrays.asList(p).indexOf("executor");
            if (p[0].equals("receiver-started") && ex > 0 && ex + 1 < p.length) {
                latest.put(p[1], p[ex + 1]);
            }
        }
        if (latest.size() < 2) {
            return null;
        }
        java.util.Set<String> executors = new java.util.HashSet<>(latest.values());
        return executors.size() == 1 ? executors.iterator().next() : null;
    }

    /** Capacity (records/s) at cost {@code c}: the probe measured it at {@link #PROBE_COST}; each step doubles work. */
    public static double capacityAt(double probeCapacity, int cost) {
        return probeCapacity * Math.pow(2, PROBE_COST - cost);
    }

    /** Start of the first phase that offers records (after the leading idle phases). */
    static double loadStartT(ResolvedScenario s) {
        for (int i = 0; i < s.phaseCount(); i++) {
            if (s.phase(i).kind() != Phase.Kind.IDLE) {
                return s.phaseStartMs(i) / 1000.0;
            }
        }
        return 0;
    }

    /** The spike: the first phase whose cost is higher than the previous phase's; -1 when none. */
    public static int spikePhase(ResolvedScenario s) {
        for (int i = 1; i < s.phaseCount(); i++) {
            if (s.phase(i).kind() != Phase.Kind.IDLE && s.phase(i - 1).kind() != Phase.Kind.IDLE
                    && s.phase(i).cost() > s.phase(i - 1).cost()) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Records lost (Sluice + source) by scenario time {@code t}: the source's seconds that ended by then and each
     * stream's latest cumulative Sluice count sampled by then. Both are sampled, so this undercounts by up to a sample
     * interval: the loss credited to the overload after {@code t} is, if anything, too high. 0 when {@code t} is NaN
     * (the limit never overloads: every loss is counted against the overload, whose minimum is then 0).
     */
    static long lostBefore(RunData d, double t) {
        if (Double.isNaN(t)) {
            return 0;
        }
        long lost = sluiceDroppedBy(d, t);
        for (RunData.SourceSecond x : d.source) {
            if (x.t() <= t) {
                lost += x.dropped();
            }
        }
        return lost;
    }

    static long sluiceDropped(RunData d) {
        return sluiceDroppedBy(d, Double.POSITIVE_INFINITY);
    }

    /** Records Sluice dropped by scenario time {@code t}: each stream's latest cumulative count sampled by then. */
    static long sluiceDroppedBy(RunData d, double t) {
        // Counters are cumulative per (JVM file, stream): the last line of each holds the total.
        java.util.Map<String, Long> lastPerStream = new java.util.HashMap<>();
        for (RunData.SluiceSample x : d.sluice) {
            if ("executor".equals(x.role()) && x.dropped() >= 0 && x.t() <= t) {
                lastPerStream.merge(x.file() + "#" + x.streamId(), x.dropped(), Math::max);
            }
        }
        long sum = 0;
        for (long v : lastPerStream.values()) {
            sum += v;
        }
        return sum;
    }

    /** Batches with loadStart < t <= to. */
    static List<Batch> between(List<Batch> all, double from, double to) {
        List<Batch> out = new ArrayList<>();
        for (Batch x : all) {
            if (x.t() > from && x.t() <= to) {
                out.add(x);
            }
        }
        return out;
    }

    /** Index of the first batch from which every later batch satisfies {@code ok}; -1 when the last one does not. */
    static int firstFromWhichAll(List<Batch> batches, java.util.function.Predicate<Batch> ok) {
        int k = batches.size();
        while (k > 0 && ok.test(batches.get(k - 1))) {
            k--;
        }
        return k == batches.size() ? -1 : k;
    }

    private static double sinceEnd(List<Batch> after, double end, int k) {
        if (after.isEmpty()) {
            return Double.NaN;
        }
        return k < 0 ? Double.POSITIVE_INFINITY : Math.max(0, after.get(k).t() - end);
    }

    /**
     * How far records per batch went above their steady mean after first coming down to it:
     * max(0, max_{j >= k0} r_j / mean - 1), k0 = first load batch with r <= mean.
     */
    static double overshoot(List<Batch> load, double mean) {
        if (!(mean > 0)) {
            return Double.NaN;
        }
        int k0 = -1;
        for (int i = 0; i < load.size(); i++) {
            if (!load.get(i).pending() && load.get(i).records() <= mean) {
                k0 = i;
                break;
            }
        }
        if (k0 < 0) {
            return Double.NaN;
        }
        double max = 0;
        for (int i = k0; i < load.size(); i++) {
            max = Math.max(max, load.get(i).records());
        }
        return Math.max(0, max / mean - 1);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    static double stddev(double[] v, double mean) {
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return v.length == 0 ? Double.NaN : Math.sqrt(s / v.length);
    }
}
