package dev.sluice.testbed.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class ConsumerLagTest {

    @Test
    void lagIsProducedMinusPlannedAndMinusProcessedAtEachSample() {
        // 1000 records of backlog at t=0, 100 more per second; a first batch plans 600 at 1.0 s and completes at 3.5 s,
        // a second plans 300 at 2.0 s and completes at 4.0 s.
        List<ConsumerLag.Produced> produced = List.of(new ConsumerLag.Produced(0, 1000),
                new ConsumerLag.Produced(1000, 1100), new ConsumerLag.Produced(2000, 1200),
                new ConsumerLag.Produced(3500, 1350), new ConsumerLag.Produced(4000, 1400));
        // Out of order on purpose: the series sorts its inputs.
        List<ConsumerLag.Planned> planned = List.of(new ConsumerLag.Planned(2000, 300),
                new ConsumerLag.Planned(1000, 600));
        List<ConsumerLag.Processed> processed = List.of(new ConsumerLag.Processed(4000, 300),
                new ConsumerLag.Processed(3500, 600));

        List<ConsumerLag.Point> s = ConsumerLag.series(produced, planned, processed);

        assertEquals(5, s.size());
        assertEquals(1000, s.get(0).notPlanned());
        assertEquals(1000, s.get(0).notProcessed());
        assertEquals(1100 - 600, s.get(1).notPlanned());
        assertEquals(1100, s.get(1).notProcessed());
        assertEquals(1200 - 900, s.get(2).notPlanned());
        assertEquals(1350 - 900, s.get(3).notPlanned());
        assertEquals(1350 - 600, s.get(3).notProcessed());
        assertEquals(1400 - 900, s.get(4).notProcessed());
        assertEquals("4000,1400,900,900,500,500", s.get(4).toCsv());
    }

    @Test
    void noBatchMeansTheWholeTopicIsLag() {
        List<ConsumerLag.Point> s = ConsumerLag.series(List.of(new ConsumerLag.Produced(5, 42)), List.of(),
                List.of());
        assertEquals(42, s.get(0).notPlanned());
        assertEquals(42, s.get(0).notProcessed());
    }
}
