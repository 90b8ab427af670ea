package dev.sluice.agent.docs;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Users paste the commands they read: every {@code bash}/{@code sh}/{@code shell} block in the Markdown docs and every
 * shell script in the repository ({@code *.sh}, {@code .ci/run}) goes through ShellCheck. ShellCheck is provisioned
 * by {@code .ci/run} ({@code apt-get install -y shellcheck} when it is missing); where it is absent, each snippet is
 * still parsed with {@code bash -n} and the test is then reported <em>skipped</em>, never passed, naming what is missing.
 */
class ShellSnippetsTest {

    private static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();
    private static final List<String> SHELL_TAGS = Arrays.asList("bash", "sh", "shell");
    /** An untagged block that starts like a command line: it must say it is shell, so that it is checked. */
    private static final Pattern LOOKS_LIKE_A_COMMAND = Pattern.compile(
            "^(\\./\\S+|\\S+\\.sh|mvn|java|spark-submit|export|cd|sudo|curl|docker|kubectl|aws|git|[A-Z_]+=\\S*)(\\s.*)?$");

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everyShellSnippetAndScriptPassesShellCheck() throws IOException {
        List<PropertiesSnippetsTest.Snippet> snippets = new ArrayList<>();
        for (Path md : PropertiesSnippetsTest.markdownFiles()) {
            snippets.addAll(shellBlocks(md));
        }
        for (Path script : scripts()) {
            snippets.add(new PropertiesSnippetsTest.Snippet(ROOT.relativize(script).toString(),
                    new String(Files.readAllBytes(script), StandardCharsets.UTF_8)));
        }
        assertTrue(snippets.size() >= 8, "expected the README's commands, the attach recipes and the scripts: "
                + snippets);
        boolean shellcheck = onPath("shellcheck");
        return snippets.stream().map(s -> DynamicTest.dynamicTest(s.where, () -> check(s, shellcheck)));
    }

    /** A command block without a tag would escape the linter. */
    @Test
    void everyCommandBlockIsTaggedAsShell() throws IOException {
        List<String> untagged = new ArrayList<>();
        for (Path md : PropertiesSnippetsTest.markdownFiles()) {
            List<String> lines = Files.readAllLines(md, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).trim().startsWith("```")) {
                    continue;
                }
                boolean tagged = !lines.get(i).trim().equals("```");
                int end = i + 1;
                while (end < lines.size() && !lines.get(end).trim().startsWith("```")) {
                    end++;
                }
                String first = i + 1 < end ? lines.get(i + 1).trim() : "";
                if (!tagged && LOOKS_LIKE_A_COMMAND.matcher(first).matches()) {
                    untagged.add(ROOT.relativize(md) + ":" + (i + 1) + " (" + first + ")");
                }
                i = end;
            }
        }
        assertEquals(new ArrayList<String>(), untagged, "command blocks without ```bash: they are not checked");
    }

    private void check(PropertiesSnippetsTest.Snippet s, boolean shellcheck) throws Exception {
        Path file = Files.createTempFile(dir, "snippet", ".sh");
        Files.write(file, s.text.getBytes(StandardCharsets.UTF_8));
        String[] syntax = run("bash", "-n", file.toString());
        assertEquals("0", syntax[0], s.where + " is not valid bash:\n" + syntax[1]);
        Assumptions.assumeTrue(shellcheck, s.where + ": only `bash -n` checked; ShellCheck is not installed "
                + "(apt-get install -y shellcheck, as .ci/run does)");
        // -s bash: snippets have no shebang; every script here is bash. -x: follow sourced files where given.
        String[] lint = run("shellcheck", "-s", "bash", "-x", "-f", "gcc", file.toString());
        assertEquals("0", lint[0], s.where + " fails ShellCheck:\n" + lint[1].replace(file.toString(), s.where));
    }

    /** Fenced blocks tagged bash, sh or shell. */
    static List<PropertiesSnippetsTest.Snippet> shellBlocks(Path md) throws IOException {
        List<PropertiesSnippetsTest.Snippet> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(md, StandardCharsets.UTF_8);
        StringBuilder block = null;
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String trimmed = lines.get(i).trim();
            if (block == null && trimmed.startsWith("```") && SHELL_TAGS.contains(trimmed.substring(3).trim())) {
                block = new StringBuilder();
                start = i + 1;
            } else if (block == null && trimmed.startsWith("```")) {
                // another block: skip to its end, so that its closing fence is not taken for an opening one
                while (i + 1 < lines.size() && !lines.get(i + 1).trim().startsWith("```")) {
                    i++;
                }
                i++;
            } else if (block != null && trimmed.equals("```")) {
                out.add(new PropertiesSnippetsTest.Snippet(ROOT.relativize(md) + ":" + start, block.toString()));
                block = null;
            } else if (block != null) {
                block.append(lines.get(i)).append('\n');
            }
        }
        return out;
    }

    /** Every {@code *.sh} file and the CI entry point. */
    private static List<Path> scripts() throws IOException {
        try (Stream<Path> walk = Files.walk(ROOT)) {
            List<Path> out = walk.filter(p -> p.toString().endsWith(".sh"))
                    .filter(p -> !ROOT.relativize(p).toString().contains("target"))
                    .filter(p -> !ROOT.relativize(p).startsWith(".git"))
                    .sorted().collect(Collectors.toList());
            Path ci = ROOT.resolve(".ci/run");
            if (Files.isRegularFile(ci)) {
                out.add(ci);
            }
            return out;
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Paths.get(d, command))) {
                return true;
            }
        }
        return false;
    }

    /** Exit code and combined output. */
    private String[] run(String... command) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + Arrays.toString(command));
        return new String[] {String.valueOf(p.exitValue()),
                new String(Files.readAllBytes(out), StandardCharsets.UTF_8)};
    }
}
