package dev.sluice.sql.driver;

import dev.sluice.runtime.RuntimeSettings;
import dev.sluice.runtime.SluiceRuntime;
import org.apache.spark.sql.execution.streaming.ProcessingTimeTrigger;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which queries a run governs and with what target, decided when the engine first plans a batch: the query is a
 * stand-in with only the calls {@code SqlAdmission.start} makes ({@code StreamingQuery} and {@code trigger()}), the
 * trigger is Spark's real {@code ProcessingTimeTrigger} (3.5.7).
 */
class SqlAdmissionStartTest {

    private final Map<String, String> conf = new HashMap<String, String>();
    private final AtomicBoolean active = new AtomicBoolean(true);

    @AfterEach
    void reset() {
        SluiceRuntime.install(RuntimeSettings.empty(), null, null);
        QueryRuns.clear();
    }

    private Object start(final String name, final Object trigger) throws Exception {
        SluiceRuntime.install(new RuntimeSettings(conf), null, null);
        final UUID id = UUID.nameUUIDFromBytes(String.valueOf(name).getBytes("UTF-8"));
        Object execution = Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {StreamingQuery.class, ExecutionShape.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "name": return name;
                        case "id": return id;
                        case "runId": return UUID.randomUUID();
                        case "isActive": return active.get();
                        case "trigger": return trigger;
                        case "hashCode": return System.identityHashCode(proxy);
                        case "equals": return proxy == args[0];
                        case "toString": return "query " + name;
                        default: return null;
                    }
                });
        return SqlAdmission.start(execution);
    }

    @Test
    void theDefaultTriggerIsGovernedAimingAtTheDefaultTarget() throws Exception {
        Object run = start("q", new ProcessingTimeTrigger(0));
        assertTrue(run instanceof QueryAdmission, "the default trigger is governed, not left alone");
        assertEquals(1000, ((QueryAdmission) run).targetMs());
        assertEquals(100, ((QueryAdmission) run).maxRows(new Object(), "KafkaV2[Subscribe[t]]", RowLimit.NO_CAP),
                "the first batch is bounded: 100 rows/s x 1 s, not the whole backlog");
    }

    @Test
    void theDefaultTriggersTargetIsAKey() throws Exception {
        conf.put("sluice.sql.defaultTriggerTarget", "3s");
        assertEquals(3000, ((QueryAdmission) start("q", new ProcessingTimeTrigger(0))).targetMs());
    }

    @Test
    void aQueryDisabledByNameIsLeftAloneAndOthersAreNot() throws Exception {
        conf.put("sluice.query.orders.enabled", "false");
        assertTrue(!(start("orders", new ProcessingTimeTrigger(2000)) instanceof QueryAdmission));
        assertTrue(start("clicks", new ProcessingTimeTrigger(2000)) instanceof QueryAdmission);
    }

    @Test
    void perQueryTargetShareAndCeilingApply() throws Exception {
        conf.put("sluice.query.orders.targetShare", "0.5");
        conf.put("sluice.query.orders.maxRowsPerTrigger", "150");
        QueryAdmission orders = (QueryAdmission) start("orders", new ProcessingTimeTrigger(2000));
        assertEquals(1000, orders.targetMs());
        assertEquals(100, orders.maxRows(new Object(), "k", RowLimit.NO_CAP), "100 rows/s x 1 s target");
        conf.put("sluice.rate.initial", "1000");
        QueryAdmission capped = (QueryAdmission) start("orders", new ProcessingTimeTrigger(2000));
        assertEquals(150, capped.maxRows(new Object(), "k", RowLimit.NO_CAP), "1 000 rows/s x 1 s, capped at 150");
    }

    @Test
    void aGovernedRunIsListedForTheMetersUntilItsQueryStops() throws Exception {
        QueryAdmission run = (QueryAdmission) start("orders", new ProcessingTimeTrigger(2000));
        assertEquals("orders", run.key());
        assertNotNull(QueryRuns.byKey("orders"));
        assertEquals(1, QueryRuns.live().size());
        active.set(false);
        assertEquals(0, QueryRuns.live().size());
        assertNull(QueryRuns.byKey("orders"));
    }

    @Test
    void anUnnamedQueryIsKeyedByItsId() throws Exception {
        QueryAdmission run = (QueryAdmission) start(null, new ProcessingTimeTrigger(2000));
        assertEquals(UUID.nameUUIDFromBytes("null".getBytes("UTF-8")).toString(), run.key());
    }
}
