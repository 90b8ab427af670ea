package dev.sluice.testbed.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The one jar the driver and every executor get ({@code -cp} and {@code spark.executor.extraClassPath}): the test
 * bed's classes, Sluice's reactive receiver and reactive-streams, the Kafka harness (not kafka-clients: the Kafka
 * source ships the connector's own beside this jar), merged (they are not part of a Spark home).
 * Sources may be jars or class directories (inside a reactor build).
 */
final class JobJar {

    private JobJar() {
    }

    static Path build(Path out) {
        // The Kafka harness for Ledger.mix, the checksum the Kafka job folds its record ids into.
        List<Path> sources = List.of(location(Main.class), location(dev.sluice.reactive.ReactiveStreams.class),
                location(org.reactivestreams.Publisher.class), location(dev.sluice.testkit.kafka.Ledger.class));
        Path jar = out.resolve("sluice-testbed-job.jar");
        Set<String> seen = new HashSet<>();
        try {
            Files.createDirectories(out);
            try (JarOutputStream jos = new JarOutputStream(Files.newOutputStream(jar))) {
                for (Path src : sources) {
                    if (Files.isDirectory(src)) {
                        try (Stream<Path> s = Files.walk(src)) {
                            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                                String name = src.relativize(p).toString().replace('\\', '/');
                                try (InputStream in = Files.newInputStream(p)) {
                                    copy(jos, name, in, seen);
                                }
                            }
                        }
                    } else {
                        try (JarInputStream in = new JarInputStream(Files.newInputStream(src))) {
                            for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
                                if (!e.isDirectory()) {
                                    copy(jos, e.getName(), in, seen);
                                }
                            }
                        }
                    }
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the job jar " + jar, e);
        }
    }

    private static void copy(JarOutputStream jos, String name, InputStream in, Set<String> seen) throws IOException {
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        if (upper.startsWith("META-INF/") && (upper.endsWith(".SF") || upper.endsWith(".RSA")
                || upper.endsWith(".DSA") || upper.equals("META-INF/MANIFEST.MF") || upper.contains("INDEX.LIST"))) {
            return;
        }
        if (!seen.add(name)) {
            return;
        }
        jos.putNextEntry(new JarEntry(name));
        in.transferTo(new NoClose(jos));
        jos.closeEntry();
    }

    static Path location(Class<?> c) {
        try {
            return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("cannot locate the classes of " + c.getName(), e);
        }
    }

    private static final class NoClose extends OutputStream {
        private final OutputStream out;

        NoClose(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }
    }
}
