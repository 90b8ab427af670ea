package dev.sluice.smoke;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The Kubernetes recipe's image ({@code examples/kubernetes/Dockerfile}): built from the stock {@code apache/spark}
 * image with the agent jar and a configuration file, then run the way a driver pod runs, {@code spark-submit} with the
 * agent in {@code spark.driver.extraJavaOptions}: the agent's start line and Spark's result must both appear.
 *
 * <p>Needs a Docker engine. Where none answers the test is reported <b>skipped</b> (a JUnit assumption: Surefire counts
 * it under "Skipped", never as passed), and one line in {@code smoke-runs/figures.txt} says so.
 */
class KubernetesImageBuildTest {

    static final String BASE_IMAGE = "apache/spark:3.5.7";

    @Test
    void theDockerfileBuildsAnImageWhoseDriverStartsWithTheAgent() throws Exception {
        String problem = SparkImageSmokeTest.dockerProblem();
        if (problem != null) {
            Figures.record("Kubernetes image build (examples/kubernetes/Dockerfile) SKIPPED, NOT PASSED (" + problem
                    + ")");
        }
        assumeTrue(problem == null, () -> "SKIPPED, not passed: " + problem);
        Path dockerfile = Paths.get("..", "examples", "kubernetes", "Dockerfile").toAbsolutePath().normalize();
        Path config = Files.createTempFile("sluice", ".properties");
        Files.write(config, List.of("sluice.strategy=drop"), StandardCharsets.UTF_8);
        ImageFromDockerfile image = new ImageFromDockerfile("sluice-k8s-image-test", true)
                .withFileFromPath("Dockerfile", dockerfile)
                .withFileFromPath("sluice-agent.jar", SmokeEnv.agentJar())
                .withFileFromPath("sluice.properties", config)
                .withBuildArg("SPARK_IMAGE", BASE_IMAGE);
        String agent = "-javaagent:/opt/sluice/sluice-agent.jar=config=/opt/sluice/sluice.properties";
        try (GenericContainer<?> driver = new GenericContainer<>(image)
                .withCommand("sh", "-c", "/opt/spark/bin/spark-submit --master 'local[2]' --conf "
                        + "'spark.driver.extraJavaOptions=" + agent + "' --class org.apache.spark.examples.SparkPi "
                        + "/opt/spark/examples/jars/spark-examples_*.jar 10")
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(5)))) {
            driver.start();
            String logs = driver.getLogs();
            assertTrue(logs.contains("active in this driver JVM"), "no agent start line:\n" + logs);
            assertTrue(logs.contains("Pi is roughly"), "SparkPi did not finish:\n" + logs);
            Figures.record("Kubernetes image built from examples/kubernetes/Dockerfile on " + BASE_IMAGE
                    + ": spark-submit with the agent ran, start line present");
        }
    }
}
