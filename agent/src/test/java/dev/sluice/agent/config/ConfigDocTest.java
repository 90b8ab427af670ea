package dev.sluice.agent.config;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigDocTest {

    @Test
    void everyDeclaredKeyHasARowWithItsDefaultAndAllowedValues() {
        String table = ConfigDoc.markdown();
        for (ConfigKey k : ConfigKeys.all()) {
            assertTrue(table.contains("| `" + k.name + "` | `" + (k.defaultValue.isEmpty() ? "(unset)" : k.defaultValue)
                    + "` |"), k.name);
            assertTrue(!k.doc.isEmpty() && !k.allowed.isEmpty(), k.name);
        }
        assertTrue(table.contains("sluice.stream.<id>.strategy"));
        assertTrue(table.contains("sluice.strategy.<param>"));
    }

    @Test
    void everyDefaultPassesItsOwnValidation() {
        for (ConfigKey k : ConfigKeys.all()) {
            if (!k.defaultValue.isEmpty()) {
                assertEquals(null, k.check(k.defaultValue), k.name);
            }
        }
    }

    @Test
    void theAgentReadmeCarriesTheGeneratedTable() throws Exception {
        Path readme = Paths.get("README.md"); // surefire runs in the module directory
        String text = new String(Files.readAllBytes(readme), StandardCharsets.UTF_8);
        assertTrue(text.contains(ConfigDoc.markdown()),
                "agent/README.md is out of date: regenerate its table with ConfigDoc");
    }

    @Test
    void theRootReadmeCarriesTheGeneratedTable() throws Exception {
        Path readme = Paths.get("..", "README.md");
        String text = new String(Files.readAllBytes(readme), StandardCharsets.UTF_8);
        assertEquals(ConfigDoc.withTable(text), text,
                "README.md is out of date: run ConfigDoc --update README.md (see its javadoc)");
        assertTrue(text.contains(ConfigDoc.markdown()));
    }
}
