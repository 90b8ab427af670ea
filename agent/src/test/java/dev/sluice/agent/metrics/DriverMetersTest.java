package dev.sluice.agent.metrics;

import dev.sluice.runtime.DriverStream;
import io.micrometer.core.instrument.Gauge;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Driver meters follow the live StreamingContext: a stopped context's streams leave, a new one's are read. */
class DriverMetersTest {

    private static DriverStream streamWithBound(int id, long bound) throws Exception {
        DriverStream s = new DriverStream(id);
        Method published = DriverStream.class.getDeclaredMethod("published", long.class);
        published.setAccessible(true); // the listener thread sets it in production
        published.invoke(s, bound);
        return s;
    }

    private static Collection<Gauge> bounds(SluiceMeters meters) {
        return meters.registry().find("sluice.estimator.bound").tag("stream", "0").gauges();
    }

    @Test
    void aRestartedContextsStreamIsReadNotTheStoppedOnes() throws Exception {
        SluiceMeters meters = new SluiceMeters(false);
        meters.register(Collections.emptyList(), Collections.singletonList(streamWithBound(0, 4000)));
        assertEquals(4000, bounds(meters).iterator().next().value());

        meters.register(Collections.emptyList(), Collections.emptyList()); // the context stopped
        assertTrue(bounds(meters).isEmpty(), "the stopped context's stream 0 still has a gauge");

        meters.register(Collections.emptyList(), Collections.singletonList(streamWithBound(0, 250))); // the next context, ids from 0
        Collection<Gauge> gauges = bounds(meters);
        assertEquals(1, gauges.size());
        assertEquals(250, gauges.iterator().next().value(), "stream 0's gauge reads a stopped context's bound");
    }

    @Test
    void aStreamReplacedWithoutAnEmptyTickIsReadToo() throws Exception {
        SluiceMeters meters = new SluiceMeters(false);
        meters.register(Collections.emptyList(), Collections.singletonList(streamWithBound(0, 4000)));
        meters.register(Collections.emptyList(), Collections.singletonList(streamWithBound(0, 250)));
        Collection<Gauge> gauges = bounds(meters);
        assertEquals(1, gauges.size());
        assertEquals(250, gauges.iterator().next().value());
    }
}
