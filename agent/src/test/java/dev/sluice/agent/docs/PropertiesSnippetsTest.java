package dev.sluice.agent.docs;

import dev.sluice.agent.config.ConfigException;
import dev.sluice.agent.config.SluiceConfig;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Users copy the configuration they read: every {@code properties} block in the Markdown docs and every example
 * configuration file goes through the agent's real loader, exactly as {@code config=/path} would read it.
 */
class PropertiesSnippetsTest {

    private static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everyPropertiesSnippetLoads() throws IOException {
        List<Snippet> snippets = new ArrayList<>();
        for (Path md : markdownFiles()) {
            snippets.addAll(propertiesBlocks(md));
        }
        for (Path p : exampleConfigurations()) {
            snippets.add(new Snippet(ROOT.relativize(p).toString(), new String(Files.readAllBytes(p),
                    StandardCharsets.UTF_8)));
        }
        assertTrue(snippets.size() >= 5, "expected the README's snippet and the example files, found " + snippets);
        return snippets.stream().map(s -> DynamicTest.dynamicTest(s.where, () -> load(s)));
    }

    private void load(Snippet s) throws IOException {
        assertFalse(s.text.trim().isEmpty(), s.where + " is empty");
        Path file = Files.createTempFile(dir, "snippet", ".properties");
        Files.write(file, s.text.getBytes(StandardCharsets.UTF_8));
        try {
            SluiceConfig config = SluiceConfig.load("config=" + file, new Properties(), Collections.emptyMap());
            assertFalse(config.values().isEmpty(), s.where);
        } catch (ConfigException e) {
            fail(s.where + " is rejected by the agent: " + e.getMessage());
        }
    }

    static List<Path> markdownFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(ROOT)) {
            return walk.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> !ROOT.relativize(p).toString().contains("target"))
                    .filter(p -> !ROOT.relativize(p).startsWith(".git"))
                    .sorted().collect(Collectors.toList());
        }
    }

    private static List<Path> exampleConfigurations() throws IOException {
        try (Stream<Path> walk = Files.walk(ROOT.resolve("examples/config"))) {
            return walk.filter(p -> p.toString().endsWith(".properties")).sorted().collect(Collectors.toList());
        }
    }

    /** Fenced blocks whose info string is {@code properties}. */
    static List<Snippet> propertiesBlocks(Path md) throws IOException {
        List<Snippet> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(md, StandardCharsets.UTF_8);
        StringBuilder block = null;
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String trimmed = lines.get(i).trim();
            if (block == null && trimmed.equals("```properties")) {
                block = new StringBuilder();
                start = i + 1;
            } else if (block != null && trimmed.equals("```")) {
                out.add(new Snippet(ROOT.relativize(md) + ":" + start, block.toString()));
                block = null;
            } else if (block != null) {
                block.append(lines.get(i)).append('\n');
            }
        }
        return out;
    }

    static final class Snippet {
        final String where;
        final String text;

        Snippet(String where, String text) {
            this.where = where;
            this.text = text;
        }

        @Override
        public String toString() {
            return where;
        }
    }
}
