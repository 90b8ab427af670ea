package dev.sluice.agent.metrics;

import dev.sluice.runtime.AdviceErrors;
import dev.sluice.runtime.DriverStream;
import dev.sluice.runtime.ManagedStream;
import dev.sluice.runtime.MemoryGuard;
import dev.sluice.runtime.SluiceLog;
import dev.sluice.strategy.builtin.StreamCounters;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters, per stream (tag {@code stream}: bounded by the number of input streams). Created lazily by the
 * metrics thread once Spark is up (the JMX registry touches the platform MBean server). Counters are function counters
 * over {@link StreamCounters}, so the hot path never calls Micrometer; {@code sluice.throttle.wait} is recorded here,
 * once a second, from the growth of the throttled-nanos counter.
 */
final class SluiceMeters {

    private final boolean jmx;
    private MeterRegistry registry;
    /** Per stream id, the incarnation whose meters are registered, and those meters (removed when it is retired). */
    private final Map<Integer, ManagedStream> executorStreams = new HashMap<Integer, ManagedStream>();
    private final Map<Integer, List<Meter>> executorMeters = new HashMap<Integer, List<Meter>>();
    private final Map<DriverStream, List<Meter>> driverMeters = new IdentityHashMap<DriverStream, List<Meter>>();
    private final Map<Integer, Long> lastThrottled = new HashMap<Integer, Long>();
    private final Map<Integer, Timer> throttleTimers = new HashMap<Integer, Timer>();

    SluiceMeters(boolean jmx) {
        this.jmx = jmx;
    }

    MeterRegistry registry() {
        if (registry == null) {
            CompositeMeterRegistry composite = new CompositeMeterRegistry();
            composite.add(new SimpleMeterRegistry());
            if (jmx) {
                try {
                    composite.add(new JmxMeterRegistry(new JmxConfig() {
                        @Override
                        public String get(String key) {
                            return null;
                        }

                        @Override
                        public String domain() {
                            return "sluice";
                        }
                    }, Clock.SYSTEM));
                } catch (Throwable t) {
                    SluiceLog.warn("JMX metrics unavailable", t);
                }
            }
            registry = composite;
            for (final AdviceErrors.Hook hook : AdviceErrors.Hook.values()) {
                FunctionCounter.builder("sluice.advice.errors", hook, new java.util.function.ToDoubleFunction<AdviceErrors.Hook>() {
                    @Override
                    public double applyAsDouble(AdviceErrors.Hook h) {
                        return AdviceErrors.count(h);
                    }
                }).tags(Tags.of("hook", hook.name())).description("contained errors in Sluice's hooks").register(registry);
                Gauge.builder("sluice.advice.bypassed", hook, AdviceErrors::tripped).tags(Tags.of("hook", hook.name()))
                        .description("1 once the hook's circuit breaker tripped (a pass-through from then on)")
                        .register(registry);
            }
        }
        return registry;
    }

    /**
     * Meters follow the live incarnations (see {@code StreamGates}): a stream id whose incarnation changed (a restart,
     * a new StreamingContext) gets meters over the new one, and one with no live incarnation loses its meters, so no
     * retired receiver lingers in the registry.
     */
    void register(List<ManagedStream> streams, List<DriverStream> drivers) {
        MeterRegistry r = registry();
        Set<Integer> live = new HashSet<Integer>();
        for (final ManagedStream s : streams) {
            int id = s.streamId();
            live.add(id);
            ManagedStream registered = executorStreams.get(id);
            if (registered != s) {
                boolean sameCounters = registered != null && registered.counters() == s.counters();
                removeMeters(r, id);
                executorStreams.put(id, s);
                executorMeters.put(id, executorMeters(r, s));
                if (!sameCounters) {
                    lastThrottled.put(id, 0L);
                }
            }
            long now = s.counters().throttledNanos();
            long delta = now - lastThrottled.get(id);
            if (delta > 0) {
                throttleTimers.get(id).record(delta, TimeUnit.NANOSECONDS);
                lastThrottled.put(id, now);
            }
        }
        for (Integer id : new ArrayList<Integer>(executorStreams.keySet())) {
            if (!live.contains(id)) {
                removeMeters(r, id);
                executorStreams.remove(id);
                lastThrottled.remove(id);
            }
        }
        retireDriverMeters(r, drivers);
        for (final DriverStream d : drivers) {
            if (!driverMeters.containsKey(d)) {
                Tags tags = Tags.of("stream", String.valueOf(d.streamId()));
                List<Meter> meters = new ArrayList<Meter>();
                meters.add(Gauge.builder("sluice.estimator.bound", d, ds -> ds.bound() < 0 ? Double.NaN : ds.bound())
                        .tags(tags).register(r));
                meters.add(Gauge.builder("sluice.estimator.processing.rate", d, DriverStream::processingRate).tags(tags)
                        .register(r));
                meters.add(Gauge.builder("sluice.estimator.scheduling.delay", d, DriverStream::schedulingDelayMs)
                        .tags(tags).baseUnit("ms").register(r));
                driverMeters.put(d, meters);
            }
        }
    }

    private List<Meter> executorMeters(MeterRegistry r, ManagedStream s) {
        int id = s.streamId();
        Tags tags = Tags.of("stream", String.valueOf(id));
        StreamCounters c = s.counters();
        List<Meter> m = new ArrayList<Meter>();
        m.add(FunctionCounter.builder("sluice.records.offered", c, StreamCounters::offered).tags(tags).register(r));
        m.add(FunctionCounter.builder("sluice.records.admitted", c, StreamCounters::admitted).tags(tags).register(r));
        m.add(FunctionCounter.builder("sluice.records.dropped", c, StreamCounters::dropped).tags(tags).register(r));
        m.add(FunctionCounter.builder("sluice.records.stored", c, StreamCounters::stored).tags(tags).register(r));
        m.add(Gauge.builder("sluice.bound", s, ms -> {
            double b = ms.effectiveBound();
            return Double.isInfinite(b) ? Double.NaN : b;
        }).tags(tags).baseUnit("records/s").register(r));
        // The guard acts per JVM on all its streams; reported per stream (tag stream), like the other meters.
        m.add(Gauge.builder("sluice.guard.level", s, ms -> MemoryGuard.level().ordinal()).tags(tags)
                .description("memory guard level: 0 OK, 1 LOW, 2 HIGH").register(r));
        m.add(FunctionCounter.builder("sluice.throttle.overdue", s, ManagedStream::overdueRecords).tags(tags)
                .description("records stored over the bound because their throttle wait reached sluice.throttle.maxWait")
                .register(r));
        m.add(FunctionCounter.builder("sluice.throttle.expired", s, ManagedStream::expiredWaits).tags(tags)
                .description("throttle waits that reached sluice.throttle.maxWait").register(r));
        Timer timer = Timer.builder("sluice.throttle.wait").tags(tags)
                .description("time storing threads waited for the budget, recorded once a second").register(r);
        m.add(timer);
        throttleTimers.put(id, timer);
        return m;
    }

    private void removeMeters(MeterRegistry r, int id) {
        List<Meter> old = executorMeters.remove(id);
        if (old != null) {
            for (Meter meter : old) {
                r.remove(meter);
            }
        }
        throttleTimers.remove(id);
    }

    /**
     * A driver stream leaves when its StreamingContext stops; a later context's stream with the same id is a new
     * object. Its meters go with it, so they never read a stopped context's values (nor keep it reachable).
     */
    private void retireDriverMeters(MeterRegistry r, List<DriverStream> live) {
        Set<DriverStream> current = Collections.newSetFromMap(new IdentityHashMap<DriverStream, Boolean>());
        current.addAll(live);
        for (Iterator<Map.Entry<DriverStream, List<Meter>>> it = driverMeters.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<DriverStream, List<Meter>> e = it.next();
            if (!current.contains(e.getKey())) {
                for (Meter m : e.getValue()) {
                    r.remove(m);
                }
                it.remove();
            }
        }
    }

    /** Driver streams with meters (the metrics thread retires them even when no stream is live any more). */
    boolean hasDriverMeters() {
        return !driverMeters.isEmpty();
    }
}
