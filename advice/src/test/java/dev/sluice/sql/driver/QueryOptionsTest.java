package dev.sluice.sql.driver;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueryOptionsTest {

    private final Map<String, String> conf = new HashMap<String, String>();

    private QueryOptions resolve(String name, long triggerMs) {
        return QueryOptions.resolve(name, triggerMs, conf::get);
    }

    @Test
    void aProcessingTimeTriggerIsItsOwnTarget() {
        QueryOptions o = resolve("q", 2000);
        assertEquals(2000, o.targetMs);
        assertEquals(RowLimit.NO_CAP, o.maxRowsPerTrigger);
    }

    @Test
    void theDefaultTriggerAimsAtOneSecondUnlessConfigured() {
        assertEquals(1000, resolve("q", 0).targetMs);
        conf.put("sluice.sql.defaultTriggerTarget", "500ms");
        assertEquals(500, resolve("q", 0).targetMs);
        assertEquals(0, resolve("q", 0).triggerMs);
        assertEquals(2000, resolve("q", 2000).targetMs, "an interval trigger ignores it");
    }

    @Test
    void theTargetShareIsGlobalAndPerQuery() {
        conf.put("sluice.sql.targetShare", "0.8");
        conf.put("sluice.query.orders.targetShare", "0.5");
        assertEquals(1600, resolve("clicks", 2000).targetMs);
        assertEquals(1000, resolve("orders", 2000).targetMs);
        assertEquals(500, resolve("orders", 0).targetMs, "a share of the default trigger's target");
        assertEquals(1600, resolve(null, 2000).targetMs, "an unnamed query has no per-query keys");
    }

    @Test
    void aCeilingPerQueryAndAnEnabledSwitchByName() {
        conf.put("sluice.query.orders.maxRowsPerTrigger", "5000");
        conf.put("sluice.query.orders.enabled", "false");
        conf.put("sluice.query.a.b.enabled", "false"); // a name with dots
        assertEquals(5000, resolve("orders", 2000).maxRowsPerTrigger);
        assertEquals(RowLimit.NO_CAP, resolve("clicks", 2000).maxRowsPerTrigger);
        assertTrue(QueryOptions.disabled("orders", conf::get));
        assertTrue(QueryOptions.disabled("a.b", conf::get));
        assertFalse(QueryOptions.disabled("clicks", conf::get));
        assertFalse(QueryOptions.disabled(null, conf::get));
    }
}
