package dev.sluice.agent.config;

import dev.sluice.sql.driver.QueryOptions;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Structured Streaming keys: declared once here, read by {@link QueryOptions} under the same names. */
class SqlConfigKeysTest {

    private static final Map<String, String> NO_ENV = Collections.emptyMap();

    private static void assertRefused(String args, String key, String value, String allowed) {
        ConfigException e = assertThrows(ConfigException.class, () -> SluiceConfig.load(args, new Properties(), NO_ENV));
        String m = e.getMessage();
        assertTrue(m.startsWith("Sluice: invalid configuration: key '" + key + "' has value '" + value + "'; allowed: "),
                m);
        assertTrue(m.contains(allowed), m);
    }

    @Test
    void theRuntimeReadsTheDeclaredNames() {
        assertEquals(ConfigKeys.SQL_DEFAULT_TRIGGER_TARGET.name, QueryOptions.DEFAULT_TRIGGER_TARGET_KEY);
        assertEquals(ConfigKeys.SQL_TARGET_SHARE.name, QueryOptions.TARGET_SHARE_KEY);
        assertEquals(QueryOptions.DEFAULT_TRIGGER_TARGET_MS + "ms", "1000ms");
        assertEquals("1s", ConfigKeys.SQL_DEFAULT_TRIGGER_TARGET.defaultValue);
        for (String suffix : new String[] {QueryOptions.ENABLED, QueryOptions.TARGET_SHARE,
                QueryOptions.MAX_ROWS_PER_TRIGGER}) {
            String key = QueryOptions.queryKey("orders.eu", suffix);
            assertTrue(ConfigKeys.QUERY_KEY.matcher(key).matches(), key);
            assertTrue(ConfigKeys.queryKeys().stream().anyMatch(k -> k.name.equals(QueryOptions.queryKey("<name>",
                    suffix))), suffix);
        }
    }

    @Test
    void perQueryKeysAreAcceptedForAnyNameAndCheckedByKind() throws Exception {
        SluiceConfig c = SluiceConfig.load("sluice.query.orders.eu.enabled=false,sluice.query.q-1.targetShare=0.5,"
                + "sluice.query.q-1.maxRowsPerTrigger=5000,sluice.sql.defaultTriggerTarget=2s", new Properties(), NO_ENV);
        assertEquals("false", c.toRuntimeSettings().get("sluice.query.orders.eu.enabled", null));
        assertRefused("sluice.query.orders.enabled=no", "sluice.query.orders.enabled", "no", "true or false");
        assertRefused("sluice.query.orders.targetShare=0", "sluice.query.orders.targetShare", "0",
                "a number > 0 and <= 1");
        assertRefused("sluice.query.orders.targetShare=1.5", "sluice.query.orders.targetShare", "1.5",
                "a number > 0 and <= 1");
        assertRefused("sluice.query.orders.maxRowsPerTrigger=0", "sluice.query.orders.maxRowsPerTrigger", "0",
                "an integer >= 1");
        assertRefused("sluice.query.orders.maxRows=10", "sluice.query.orders.maxRows", "10",
                "sluice.query.<name>.enabled|targetShare|maxRowsPerTrigger");
        assertRefused("sluice.sql.defaultTriggerTarget=0", "sluice.sql.defaultTriggerTarget", "0", "at least 10ms");
        assertRefused("sluice.sql.targetShare=0", "sluice.sql.targetShare", "0", "a number > 0 and <= 1");
    }

    @Test
    void theGeneratedTableCarriesThePerQueryTemplates() {
        String table = ConfigDoc.markdown();
        for (ConfigKey k : ConfigKeys.queryKeys()) {
            assertTrue(table.contains("| `" + k.name + "` |"), k.name);
        }
        assertFalse(ConfigKeys.all().contains(ConfigKeys.QUERY_ENABLED), "a template, not a key of its own");
    }
}
