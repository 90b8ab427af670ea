package dev.sluice.agent;

import dev.sluice.sql.driver.SqlAdmission;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.StubMethod;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The file source's {@code takeFilesUntilMax}, checked when the source loads: the released 4.0.1, 4.1.0 and 4.2.0
 * sources pass; a source that renamed or reshaped it is refused with one line, once per class loader, and gets the plain
 * {@code latestOffset} advice (no bytes advice). Fake sources are built with Byte Buddy, as in {@code PlanningCheckTest}.
 */
class FilesTakenCheckTest {

    private static final String SOURCE = SqlAdmission.FILE_SOURCE_41;
    private static final String SPLIT = SOURCE + "$FilesSplit";

    private static List<ClassFileLocator> released(String line) throws IOException {
        return SqlHooksTest.jars(line);
    }

    @Test
    void theReleasedFileSourcesOf40And41And42Pass() throws IOException {
        String[][] lines = {{"4.0.1-2.13", SqlAdmission.FILE_SOURCE}, {"4.1.0-2.13", SqlAdmission.FILE_SOURCE_41},
                {"4.2.0-2.13", SqlAdmission.FILE_SOURCE_41}};
        for (String[] line : lines) {
            TypePool pool = TypePool.Default.of(new ClassFileLocator.Compound(released(line[0])));
            TypeDescription source = pool.describe(line[1]).resolve();
            assertNull(FilesTakenCheck.problem(source), line[0]);
        }
    }

    /**
     * A fake 4.x source (it has the {@code maxBytesPerTrigger} option's accessor) whose {@code name(Seq, limitType)}
     * returns a Tuple2 of two splits whose {@code size()} returns {@code sizeType}; the split class is built first so
     * the source's generic signature can name it.
     */
    private static TypeDescription fake(String name, Class<?> limitType, Class<?> sizeType) {
        DynamicType.Unloaded<?> split = new ByteBuddy().subclass(Object.class).name(SPLIT)
                .defineMethod("size", sizeType, Visibility.PUBLIC).intercept(StubMethod.INSTANCE).make();
        TypeDescription.Generic tuple = TypeDescription.Generic.Builder.parameterizedType(
                TypeDescription.ForLoadedType.of(scala.Tuple2.class), split.getTypeDescription(),
                split.getTypeDescription()).build();
        byte[] source = new ByteBuddy().subclass(Object.class).name(SOURCE)
                .defineMethod(FilesTakenCheck.MAX_BYTES_OPTION, scala.Option.class, Visibility.PRIVATE)
                .intercept(StubMethod.INSTANCE)
                .defineMethod(name, tuple, Visibility.PRIVATE)
                .withParameters(TypeDescription.ForLoadedType.of(scala.collection.immutable.Seq.class),
                        TypeDescription.ForLoadedType.of(limitType))
                .intercept(StubMethod.INSTANCE).make().getBytes();
        ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(SPLIT, split.getBytes()),
                ClassFileLocator.Simple.of(SOURCE, source),
                ClassFileLocator.ForClassLoader.of(FilesTakenCheckTest.class.getClassLoader()));
        return TypePool.Default.of(locator).describe(SOURCE).resolve();
    }

    @Test
    void theReleased35FileSourceHasNoBytesLimitAndIsRefusedWithoutALine() throws IOException {
        TypeDescription source = TypePool.Default.of(new ClassFileLocator.Compound(released("3.5.7-2.12")))
                .describe(SqlAdmission.FILE_SOURCE).resolve();
        assertEquals("", FilesTakenCheck.problem(source));
        List<String> lines = new ArrayList<>();
        assertFalse(new FilesTakenCheck(lines::add).matches(source, new ClassLoader(null) {
        }, null, null, null));
        assertEquals(0, lines.size(), lines.toString());
    }

    @Test
    void aRenamedTakeFilesUntilMaxIsRefusedOnceAndTheSourceGetsNoBytesAdvice() {
        TypeDescription renamed = fake("takeFilesUntilMaxBytes", long.class, scala.math.BigInt.class);
        List<String> lines = new ArrayList<>();
        FilesTakenCheck check = new FilesTakenCheck(lines::add);
        ClassLoader loader = new ClassLoader(null) {
        };

        assertFalse(check.matches(renamed, loader, null, null, null));
        assertFalse(check.matches(renamed, loader, null, null, null));

        assertEquals(1, lines.size(), lines.toString());
        String line = lines.get(0);
        assertTrue(line.startsWith("Sluice: Structured Streaming file sources keep maxBytesPerTrigger as set: "), line);
        assertTrue(line.contains(SOURCE + " declares 0 methods takeFilesUntilMax"), line);
        assertTrue(line.endsWith("the rest of Sluice is unaffected"), line);
    }

    @Test
    void aRefusedSourceGetsThePlainLatestOffsetAdviceAndAPassingOneTheBytesAdvice() throws IOException {
        TypeDescription renamed = fake("takeFilesUntilMaxBytes", long.class, scala.math.BigInt.class);
        TypeDescription released = TypePool.Default.of(new ClassFileLocator.Compound(released("4.1.0-2.13")))
                .describe(SOURCE).resolve();
        List<String> applied = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        SqlInstall.BytesWhereReported choice = new SqlInstall.BytesWhereReported(new FilesTakenCheck(lines::add),
                (builder, type, loader, module, domain) -> {
                    applied.add("bytes");
                    return builder;
                },
                (builder, type, loader, module, domain) -> {
                    applied.add("plain");
                    return builder;
                });
        choice.transform(null, renamed, new ClassLoader(null) {
        }, null, null);
        choice.transform(null, released, new ClassLoader(null) {
        }, null, null);
        assertEquals(java.util.Arrays.asList("plain", "bytes"), applied);
        assertEquals(1, lines.size(), "one line, for the refused source only: " + lines);
    }

    @Test
    void aTakeFilesUntilMaxOfAnotherDescriptorIsRefused() {
        TypeDescription intLimit = fake(SqlHooks.TAKE_FILES, int.class, scala.math.BigInt.class);
        String problem = FilesTakenCheck.problem(intLimit);
        assertTrue(problem != null && problem.contains("of descriptor (Lscala/collection/immutable/Seq;I)Lscala/Tuple2;"),
                String.valueOf(problem));
    }

    @Test
    void aSplitWhoseSizeIsNoLongerABigIntIsRefused() {
        TypeDescription longSize = fake(SqlHooks.TAKE_FILES, long.class, long.class);
        String problem = FilesTakenCheck.problem(longSize);
        assertTrue(problem != null && problem.contains(SPLIT + " has no public size()Lscala/math/BigInt;"),
                String.valueOf(problem));
    }

    @Test
    void theFakeOfTheRightShapePassesSoTheRefusalsAboveAreAboutTheirOneChange() {
        TypeDescription right = fake(SqlHooks.TAKE_FILES, long.class, scala.math.BigInt.class);
        assertNull(FilesTakenCheck.problem(right));
    }
}
