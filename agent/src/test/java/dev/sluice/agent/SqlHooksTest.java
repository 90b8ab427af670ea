package dev.sluice.agent;

import dev.sluice.agent.references.Areas;
import dev.sluice.agent.references.ReferenceArea;
import dev.sluice.agent.references.ReferenceCheck;
import dev.sluice.sql.driver.SqlAdmission;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.IOException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Structured Streaming area against the released jars of both Scala lines (spark-sql-kafka-0-10, spark-sql,
 * spark-catalyst, spark-sql-api, scala-library; read as files, never loaded): its generated references resolve, and
 * the planning hook matched by name (constructNextBatch, boolean) and the members read by reflection exist.
 */
class SqlHooksTest {

    /** A line's released jars under target/sql-compat (copied by the build), and the boot loader. */
    static List<ClassFileLocator> jars(String line) throws IOException {
        File dir = Paths.get(System.getProperty("sluice.sql.compat", "target/sql-compat"), line).toFile();
        File[] files = dir.listFiles();
        assertNotNull(files, dir + " missing: run the build's generate-test-resources phase");
        List<ClassFileLocator> locators = new ArrayList<>();
        for (File f : files) {
            locators.add(ClassFileLocator.ForJarFile.of(f));
        }
        locators.add(ClassFileLocator.ForClassLoader.ofBootLoader());
        return locators;
    }

    private static TypePool pool(List<ClassFileLocator> locators) {
        return TypePool.Default.of(new ClassFileLocator.Compound(locators));
    }

    private List<String> references() throws IOException {
        return ReferenceCheck.load(Areas.SQL_KAFKA, getClass().getClassLoader());
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.5.7-2.12", "4.1.0-2.13"})
    void theGeneratedReferencesResolveInTheReleasedJars(String line) throws IOException {
        ReferenceCheck.Outcome outcome = ReferenceCheck.check(pool(jars(line)), references());
        assertTrue(outcome.visible, line);
        assertNull(outcome.problem, line);
        assertTrue(outcome.checked > 20, "checked " + outcome.checked);
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.5.7-2.12", "4.1.0-2.13"})
    void thePlanningHookAndTheReflectiveReadsExistByName(String line) throws IOException {
        TypePool pool = pool(jars(line));
        List<TypeDescription> found = new ArrayList<>();
        for (String name : SqlHooks.MICRO_BATCH_EXECUTIONS) {
            TypePool.Resolution r = pool.describe(name);
            if (r.isResolved()) {
                found.add(r.resolve());
            }
        }
        assertEquals(1, found.size(), "one engine package per line");
        TypeDescription execution = found.get(0);
        assertNull(PlanningCheck.problem(execution), line);
        assertTrue(execution.isAssignableTo(pool.describe("org.apache.spark.sql.streaming.StreamingQuery").resolve()),
                "the runtime casts the execution to StreamingQuery");
    }

    /**
     * Each line has the file source in one engine package only: that area resolves completely, the other is not
     * visible (so it is never half-checked into a false mismatch).
     */
    @ParameterizedTest
    @ValueSource(strings = {"3.5.7-2.12", "4.1.0-2.13"})
    void theFileSourceAreaOfTheLinesPackageResolvesAndTheOtherIsNotVisible(String line) throws IOException {
        TypePool pool = pool(jars(line));
        ReferenceArea own = line.startsWith("3.") ? Areas.SQL_FILES : Areas.SQL_FILES_41;
        ReferenceArea other = own == Areas.SQL_FILES ? Areas.SQL_FILES_41 : Areas.SQL_FILES;
        ReferenceCheck.Outcome outcome = ReferenceCheck.check(pool, load(own));
        assertTrue(outcome.visible, line + " " + own);
        assertNull(outcome.problem, line + " " + own);
        assertTrue(outcome.checked > 20, "checked " + outcome.checked);
        assertTrue(!ReferenceCheck.check(pool, load(other)).visible, line + " " + other);
    }

    @Test
    void aFileSourceWithoutTheHookedMethodIsAMismatchNamingIt() throws IOException {
        byte[] different = new ByteBuddy().subclass(Object.class).name(SqlAdmission.FILE_SOURCE).make().getBytes();
        List<ClassFileLocator> locators = new ArrayList<>();
        locators.add(ClassFileLocator.Simple.of(SqlAdmission.FILE_SOURCE, different));
        locators.addAll(jars("3.5.7-2.12"));
        ReferenceCheck.Outcome outcome = ReferenceCheck.check(pool(locators), load(Areas.SQL_FILES));
        assertTrue(outcome.visible);
        assertNotNull(outcome.problem);
        assertTrue(outcome.problem.contains("latestOffset"), outcome.problem);
    }

    private List<String> load(ReferenceArea area) throws IOException {
        return ReferenceCheck.load(area, getClass().getClassLoader());
    }

    @Test
    void aKafkaSourceWithoutTheHookedMethodIsAMismatchNamingIt() throws IOException {
        byte[] different = new ByteBuddy().subclass(Object.class).name(SqlHooks.KAFKA_STREAM).make().getBytes();
        List<ClassFileLocator> locators = new ArrayList<>();
        locators.add(ClassFileLocator.Simple.of(SqlHooks.KAFKA_STREAM, different));
        locators.addAll(jars("3.5.7-2.12"));
        ReferenceCheck.Outcome outcome = ReferenceCheck.check(pool(locators), references());
        assertTrue(outcome.visible);
        assertNotNull(outcome.problem);
        assertTrue(outcome.problem.contains("latestOffset"), outcome.problem);
    }

    /** Kafka v1 ({@code KafkaSource}): its own generated references, resolving in both lines' released connector. */
    @ParameterizedTest
    @ValueSource(strings = {"3.5.7-2.12", "4.1.0-2.13"})
    void theKafkaV1AreaResolvesInTheReleasedJars(String line) throws IOException {
        List<String> v1 = load(Areas.SQL_KAFKA_V1);
        assertTrue(v1.stream().anyMatch(r -> r.contains("org.apache.spark.sql.kafka010.KafkaSource latestOffset")),
                "the v1 hook is referenced: " + v1);
        ReferenceCheck.Outcome outcome = ReferenceCheck.check(pool(jars(line)), v1);
        assertTrue(outcome.visible, line);
        assertNull(outcome.problem, line);
        assertTrue(outcome.checked > 20, "checked " + outcome.checked);
    }

    @Test
    void aKafkaV1SourceWithoutTheHookedMethodIsAMismatchNamingIt() throws IOException {
        byte[] different = new ByteBuddy().subclass(Object.class).name(SqlAdmission.KAFKA_V1).make().getBytes();
        List<ClassFileLocator> locators = new ArrayList<>();
        locators.add(ClassFileLocator.Simple.of(SqlAdmission.KAFKA_V1, different));
        locators.addAll(jars("3.5.7-2.12"));
        ReferenceCheck.Outcome outcome = ReferenceCheck.check(pool(locators), load(Areas.SQL_KAFKA_V1));
        assertTrue(outcome.visible);
        assertNotNull(outcome.problem);
        assertTrue(outcome.problem.contains("latestOffset"), outcome.problem);
        assertNull(ReferenceCheck.check(pool(locators), references()).problem, "the v2 area is unaffected");
    }

    @Test
    void withoutTheConnectorTheAreaIsNotVisible() throws IOException {
        TypePool pool = pool(java.util.Collections.singletonList(ClassFileLocator.ForClassLoader.ofBootLoader()));
        assertTrue(!ReferenceCheck.check(pool, references()).visible);
    }

}
