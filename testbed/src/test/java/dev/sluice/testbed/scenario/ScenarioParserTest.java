package dev.sluice.testbed.scenario;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScenarioParserTest {

    private static Scenario parse(String text) {
        return ScenarioParser.parse("t", "t.scn", text);
    }

    private static ScenarioFormatException malformed(String text) {
        return assertThrows(ScenarioFormatException.class, () -> parse(text));
    }

    @Test
    void parsesEveryPhaseKindWithUnitsAndComments() {
        Scenario s = parse("""
                # reference overload
                idle 2s

                ramp 30s 1000 -> 50k cost 7   # trailing comment
                hold 1.5m 5x cost 8
                hold 500ms 2000/s
                """);
        assertEquals(4, s.phases().size());
        Phase idle = s.phases().get(0);
        assertEquals(Phase.Kind.IDLE, idle.kind());
        assertEquals(2000, idle.durationMs());
        Phase ramp = s.phases().get(1);
        assertEquals(Phase.Kind.RAMP, ramp.kind());
        assertEquals(30_000, ramp.durationMs());
        assertEquals(Rate.absolute(1000), ramp.from());
        assertEquals(Rate.absolute(50_000), ramp.to());
        assertEquals(7, ramp.cost());
        Phase hold = s.phases().get(2);
        assertEquals(90_000, hold.durationMs());
        assertEquals(Rate.timesCapacity(5), hold.from());
        assertEquals(8, hold.cost());
        Phase last = s.phases().get(3);
        assertEquals(500, last.durationMs());
        assertEquals(8, last.cost(), "cost defaults to the previous phase's");
        assertEquals(Rate.absolute(2000), last.from());
        assertTrue(s.usesCapacityMultiples());
    }

    @Test
    void textFormRoundTrips() {
        Scenario s = parse("idle 2s\nramp 30s 0.2x -> 5x cost 7\nhold 300s 5x cost 8\nhold 250ms 1200 cost 8\n");
        Scenario again = ScenarioParser.parse("t", "again", s.toText());
        assertEquals(s.phases(), again.phases());
    }

    @Test
    void aBacklogIsCapacityTimeAtTheStartScaledWithThePhasesAndRoundTrips() {
        Scenario s = parse("# behind a backlog\nbacklog 600s\nidle 2s\nhold 1500s 0.5x cost 7\n");
        assertEquals(600_000, s.backlogMs());
        assertTrue(s.usesCapacityMultiples());
        Scenario scaled = s.scaled(0.1);
        assertEquals(60_000, scaled.backlogMs());
        assertEquals(120_000, scaled.resolve(2000).backlogRecords());
        Scenario again = ScenarioParser.parse("t", "again", scaled.toText());
        assertEquals(scaled, again);
        assertEquals(0, parse("hold 1s 10").backlogMs());
        assertEquals(0, parse("hold 1s 10").resolve(1000).backlogRecords());
    }

    @Test
    void aBacklogComesOnceBeforeThePhases() {
        assertTrue(malformed("idle 1s\nbacklog 5s\n").getMessage().startsWith("t.scn:2: expected 'backlog "
                + "<duration>'"));
        assertTrue(malformed("backlog 5s\nbacklog 5s\nidle 1s").getMessage().startsWith("t.scn:2: expected"));
        assertTrue(malformed("backlog\nidle 1s").getMessage().startsWith("t.scn:1: expected 'backlog"));
    }

    @Test
    void aColdScenarioSaysSoOnceBeforeThePhasesKeepsItWhenScaledAndRoundTrips() {
        Scenario s = parse("# a user's job\ncold\nhold 60s 5x cost 7\n");
        assertTrue(s.cold());
        Scenario scaled = s.scaled(0.5);
        assertTrue(scaled.cold());
        assertEquals(scaled, ScenarioParser.parse("t", "again", scaled.toText()));
        assertFalse(parse("hold 1s 10").cold());
        assertTrue(malformed("hold 1s 10\ncold\n").getMessage().startsWith("t.scn:2: expected 'cold'"));
        assertTrue(malformed("cold\ncold\nhold 1s 10").getMessage().startsWith("t.scn:2: expected 'cold'"));
        assertTrue(malformed("cold 5s\nhold 1s 10").getMessage().startsWith("t.scn:1: expected 'cold'"));
        assertTrue(Scenarios.load("cold-start").cold());
        assertFalse(Scenarios.load("overload").cold());
    }

    @Test
    void aNeighbourRunsBesideThePhasesThatSaySoAndRoundTrips() {
        Scenario s = parse("idle 2s\nhold 30s 2x cost 7 neighbour\nramp 10s 2x -> 1x NEIGHBOUR\nhold 30s 2x\n");
        assertEquals(List.of(false, true, true, false), s.phases().stream().map(Phase::neighbour).toList());
        assertEquals(7, s.phases().get(2).cost());
        assertEquals(s, ScenarioParser.parse("t", "again", s.scaled(0.1).toText()).scaled(10));
        ResolvedScenario r = s.resolve(1000);
        assertFalse(r.neighbourAt(1_000));
        assertTrue(r.neighbourAt(2_000));
        assertTrue(r.neighbourAt(41_999));
        assertFalse(r.neighbourAt(42_000));
        assertTrue(malformed("hold 3s neighbour").getMessage().startsWith("t.scn:1: expected 'hold"));
    }

    @Test
    void unknownPhaseNamesLineAndTheExpectedForms() {
        ScenarioFormatException e = malformed("idle 2s\n\n# c\nburst 5s 1000\n");
        assertEquals(4, e.line());
        assertTrue(e.getMessage().startsWith("t.scn:4: unknown phase 'burst'"), e.getMessage());
        assertTrue(e.getMessage().contains("'ramp <duration> <rate> -> <rate> [cost <n>] [neighbour]'"), e.getMessage());
    }

    @Test
    void malformedLinesSayWhatWasExpected() {
        assertEquals("t.scn:1: expected a duration like 500ms, 2s or 1.5m, got '2'", malformed("idle 2").getMessage());
        assertEquals("t.scn:2: expected 'ramp <duration> <rate> -> <rate> [cost <n>] [neighbour]', got 'ramp 30s 1000 50000'",
                malformed("idle 1s\nramp 30s 1000 50000").getMessage());
        assertEquals("t.scn:1: expected a rate like 5000, 5000/s, 20k or 5x (times the measured capacity), got 'fast'",
                malformed("hold 3s fast").getMessage());
        assertEquals("t.scn:1: cost must be an integer within 0..24, got 'seven'",
                malformed("hold 3s 100 cost seven").getMessage());
        assertEquals("t.scn:1: cost must be an integer within 0..24, got '99'",
                malformed("hold 3s 100 cost 99").getMessage());
        assertEquals("t.scn:1: expected 'cost <n>' after the rate, got 'price 7'",
                malformed("hold 3s 100 price 7").getMessage());
        assertEquals("t.scn:1: expected 'idle <duration> [neighbour]', got 'idle 2s 100'", malformed("idle 2s 100").getMessage());
        assertEquals("t.scn:1: a phase must last more than 0 ms, got '0s'", malformed("hold 0s 100").getMessage());
        assertEquals("t.scn:0: no phases; expected lines like 'idle <duration> [neighbour]', "
                + "'ramp <duration> <rate> -> <rate> [cost <n>] [neighbour]' or "
                + "'hold <duration> <rate> [cost <n>] [neighbour]'",
                malformed("# nothing\n\n").getMessage());
    }

    @Test
    void shippedScenariosLoadAndUnknownNamesAreRefused() {
        for (String name : Scenarios.SHIPPED) {
            Scenario s = Scenarios.load(name);
            assertEquals(name, s.name());
            assertFalse(s.phases().isEmpty());
        }
        Scenario overload = Scenarios.load("overload");
        assertEquals(332_000, overload.durationMs());
        assertEquals(Rate.timesCapacity(5), overload.phases().get(2).from());
        assertTrue(Scenarios.load("capacity").isCapacityProbe());
        assertFalse(Scenarios.load("capacity").usesCapacityMultiples(), "the probe cannot depend on what it measures");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scenarios.load("nosuch"));
        assertEquals("unknown scenario 'nosuch': not a shipped scenario (overload, spike, spike-long, spike-high, "
                + "slow-ramp, burst, cold-start, noisy-neighbour, capacity, backlog) and no such file", e.getMessage());
    }

    @Test
    void timeScaleShrinksEveryPhase() {
        Scenario s = Scenarios.load("spike").scaled(0.1);
        assertEquals(49_200, s.durationMs());
        assertEquals(200, s.phases().get(0).durationMs());
        assertEquals(10_000, s.phases().get(3).durationMs());
        assertThrows(IllegalArgumentException.class, () -> s.scaled(0));
    }

    @Test
    void resolvedScenarioIntegratesThePiecewiseLinearRate() {
        ResolvedScenario r = parse("idle 2s\nramp 10s 0 -> 2x\nhold 5s 2x cost 9\n").resolve(1000);
        assertEquals(0, r.rateAt(1000));
        assertEquals(1000, r.rateAt(7000), 1e-9);
        assertEquals(2000, r.rateAt(13_000), 1e-9);
        assertEquals(0, r.recordsDue(2000), 1e-9);
        assertEquals(2500, r.recordsDue(7000), 1e-6, "half the ramp: 1/2 * 5 s * 1000/s");
        assertEquals(10_000 + 10_000, r.totalRecords(), 1e-6);
        assertEquals(r.totalRecords(), r.recordsDue(60_000), 1e-9);
        assertEquals(9, r.costAt(12_500));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> parse("hold 1s 3x").resolve(0));
        assertTrue(e.getMessage().contains("no capacity is known"), e.getMessage());
    }
}
