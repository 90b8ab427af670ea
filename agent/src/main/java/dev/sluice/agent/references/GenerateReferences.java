package dev.sluice.agent.references;

import dev.sluice.agent.HookPoint;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Writes each area's reference file. Run by the agent's build ({@code exec-maven-plugin}, phase
 * {@code process-classes}) with the module's compile classpath, so the files in the agent jar always match the classes
 * beside them: {@code java -cp <classpath> dev.sluice.agent.references.GenerateReferences <target/classes>}.
 */
public final class GenerateReferences {

    static final String HEADER = "# Generated at build time by " + GenerateReferences.class.getName()
            + " from the compiled classes; do not edit. Format: dev.sluice.agent.references.Reference.";

    private GenerateReferences() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: GenerateReferences <output directory (target/classes)>");
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (ReferenceArea area : Areas.GENERATED) {
            List<String> lines = generate(area, loader);
            Path out = Paths.get(args[0]).resolve(area.resource());
            Files.createDirectories(out.getParent());
            Files.write(out, lines, StandardCharsets.UTF_8);
            System.out.println("Sluice: " + (lines.size() - 1) + " references of area '" + area + "' written to " + out);
        }
    }

    /** The area's reference file, line by line: a header, then every reference sorted, with the classes making it. */
    public static List<String> generate(ReferenceArea area, ClassLoader loader) throws IOException {
        ReferenceScanner scanner = new ReferenceScanner(area.hostPackages);
        SortedMap<String, byte[]> classes = classesOf(area, loader);
        if (classes.isEmpty()) {
            throw new IOException("no class of area '" + area + "' found under " + area.packages);
        }
        for (HookPoint hook : area.hooks) {
            scanner.add(Reference.declaredMethod(hook.className, hook.methodName, hook.descriptor), hook.adviceClass);
            byte[] advice = classes.remove(hook.adviceClass);
            if (advice != null) {
                scanner.scan(advice, hook.className);
            }
        }
        for (byte[] classFile : classes.values()) {
            scanner.scan(classFile);
        }
        for (String[] r : area.reflective) {
            scanner.add(Reference.parse(r[0]), r[1]);
        }
        List<String> lines = new ArrayList<String>();
        lines.add(HEADER);
        lines.addAll(scanner.lines());
        return lines;
    }

    /** Every class file under the area's packages visible to {@code loader} (the first of each name), by binary name. */
    public static SortedMap<String, byte[]> classesOf(ReferenceArea area, ClassLoader loader) throws IOException {
        SortedMap<String, byte[]> out = new TreeMap<String, byte[]>();
        for (String prefix : area.packages) {
            Enumeration<URL> roots = loader.getResources(prefix);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                if ("jar".equals(root.getProtocol())) {
                    readJar(root, prefix, out);
                } else if ("file".equals(root.getProtocol())) {
                    readDirectory(toPath(root), prefix, out);
                }
            }
        }
        return out;
    }

    private static Path toPath(URL url) throws IOException {
        try {
            return Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            return new File(url.getPath()).toPath();
        }
    }

    private static void readDirectory(Path dir, String prefix, SortedMap<String, byte[]> out) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Object o : files.toArray()) {
                Path f = (Path) o;
                if (f.toString().endsWith(".class")) {
                    String relative = dir.relativize(f).toString().replace(File.separatorChar, '/');
                    put(out, prefix + relative, Files.readAllBytes(f));
                }
            }
        }
    }

    private static void readJar(URL root, String prefix, SortedMap<String, byte[]> out) throws IOException {
        JarURLConnection connection = (JarURLConnection) root.openConnection();
        connection.setUseCaches(false);
        URI jarUri = URI.create(connection.getJarFileURL().toString());
        try (JarFile jar = new JarFile(new File(jarUri))) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                if (e.getName().startsWith(prefix) && e.getName().endsWith(".class")) {
                    try (InputStream in = jar.getInputStream(e)) {
                        put(out, e.getName(), read(in));
                    }
                }
            }
        }
    }

    private static void put(SortedMap<String, byte[]> out, String path, byte[] bytes) {
        String name = path.substring(0, path.length() - ".class".length()).replace('/', '.');
        if (!out.containsKey(name) && !name.endsWith("package-info")) {
            out.put(name, bytes);
        }
    }

    private static byte[] read(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        copy(in, buffer);
        return buffer.toByteArray();
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] chunk = new byte[8192];
        for (int n; (n = in.read(chunk)) > 0; ) {
            out.write(chunk, 0, n);
        }
    }
}
