package dev.sluice.testbed.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import org.junit.jupiter.api.Test;

/** {@code --source}: usage errors are refused before anything starts, naming what is allowed. */
class KafkaSourceOptionsTest {

    private static String refused(String... args) {
        return assertThrows(IllegalArgumentException.class,
                () -> Main.run(args, new PrintStream(new ByteArrayOutputStream()))).getMessage();
    }

    @Test
    void anUnknownSourceIsRefused() {
        assertEquals("unknown source 'pulsar'; expected receivers, kafka, sql-files or sql-kafka", refused("--source", "pulsar"));
    }

    @Test
    void theBacklogScenarioNeedsTheKafkaSource() {
        assertEquals("scenario 'backlog' starts behind a backlog, which only the kafka source can hold (add --source "
                + "kafka)", refused("--scenario", "backlog", "--modes", "stock"));
    }

    @Test
    void sheddingModesAreRefusedOnKafka() {
        String m = refused("--source", "kafka", "--scenario", "backlog", "--modes", "stock,sluice-drop");
        assertTrue(m.startsWith("mode 'sluice-drop' is not run on the kafka source; it runs stock, spark, "
                + "sluice-throttle"), m);
    }

    @Test
    void helpDocumentsTheSource() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main.run(new String[] {"--help"}, new PrintStream(out));
        assertTrue(out.toString().contains("--source S"), out.toString());
        assertTrue(out.toString().contains("backlog (kafka only"), out.toString());
    }
}
