package dev.sluice.rate.sim;

import dev.sluice.rate.*;
import org.junit.jupiter.api.Test;

class ExploreTest {
    @Test
    void explore() {
        double cap = Scenarios.sustainable();
        // slow ramp 1000 -> 5x cap over 300 s
        SimulationResult ramp = new SimulatedStreamingJob(Scenarios.base().stream(t -> 1000 + (5 * cap - 1000) * Math.min(1, t / 300_000.0)).phase(0.5).durationMs(320_000)).run(Scenarios.adaptive());
        System.out.println("ramp peak=" + ramp.peakSchedulingDelayMs() + " steady=" + ramp.firstSteadyBatch() + " gp(last 60)=" + ramp.goodput(260, 319));
        // on/off
        SimulationResult onoff = new SimulatedStreamingJob(Scenarios.base().stream(t -> ((long) (t / 10_000)) % 2 == 0 ? 2 * cap : 0).phase(0.5).durationMs(120_000)).run(Scenarios.adaptive());
        System.out.println("onoff peak=" + onoff.peakSchedulingDelayMs() + " steady=" + onoff.firstSteadyBatch());
        System.out.println(onoff.table().substring(0, 4000));
        // two streams
        SimulationResult two = new SimulatedStreamingJob(Scenarios.base().stream(t -> 3 * cap).stream(t -> 0.2 * cap).phase(0.5).durationMs(120_000)).run(Scenarios.adaptive());
        System.out.println("two peak=" + two.peakSchedulingDelayMs() + " steady=" + two.firstSteadyBatch());
        String[] l = two.table().split("\n"); for (int i = 0; i < 30; i++) System.out.println(l[i]); System.out.println(l[100]);
        SimulationResult two2 = new SimulatedStreamingJob(Scenarios.base().stream(t -> 3 * cap).stream(t -> 2 * cap).phase(0.5).durationMs(120_000)).run(Scenarios.adaptive());
        l = two2.table().split("\n"); for (int i = 0; i < 20; i++) System.out.println(l[i]); System.out.println(l[100]);
        // overhead dominated
        SimulationResult oh = new SimulatedStreamingJob(Scenarios.base().overheadMs(400).perRecordMs(0.02).stream(t -> 5 * 30000.0).phase(0.5).durationMs(120_000)).run(Scenarios.adaptive());
        l = oh.table().split("\n"); for (int i = 0; i < 25; i++) System.out.println(l[i]); System.out.println(l[100]);
        System.out.println("oh steady " + oh.firstSteadyBatch() + " peak " + oh.peakSchedulingDelayMs() + " gp " + oh.steadyGoodput());
    }
}
