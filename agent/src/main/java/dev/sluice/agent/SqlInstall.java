package dev.sluice.agent;

import dev.sluice.agent.references.Areas;
import dev.sluice.agent.references.ReferenceArea;
import dev.sluice.sql.driver.SqlAdmission;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.hasDescriptor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.returns;

/**
 * Wires the Structured Streaming areas ({@link SqlHooks}), installed unless {@code sluice.sql.enabled=false}. The
 * engine's planning hook applies where Sluice's runtime can link (Spark SQL on the application class path, as
 * spark-submit puts it: {@link SluiceInstaller.HostLoader}); the Kafka source's hook applies in the class loader that
 * loads the connector (often a child loader, from {@code --jars} or {@code --packages}) once the area's generated
 * references resolve there; a connector that differs gets one line and keeps Spark's limits. The file source's hook
 * applies, like the planning hook, where the runtime can link, once its area's references resolve there (one area per
 * engine package).
 */
final class SqlInstall {

    private SqlInstall() {
    }

    static AgentBuilder register(AgentBuilder builder, ClassLoader agentLoader) {
        AgentBuilder.Transformer.ForAdvice planning = transformer(agentLoader)
                .advice(named(SqlHooks.PLANNING_METHOD).and(returns(boolean.class)), SqlHooks.PLANNING_ADVICE);
        AgentBuilder.Transformer.ForAdvice enforcement = enforcement(agentLoader, SqlHooks.KAFKA);
        return builder
                .type(namedOneOf(SqlHooks.MICRO_BATCH_EXECUTIONS.toArray(new String[0])))
                .and(new SluiceInstaller.HostLoader(agentLoader, null, SluiceInstaller.SYSTEM_ERR))
                .and(new PlanningCheck(SluiceInstaller.SYSTEM_ERR))
                .transform(planning)
                .type(named(SqlHooks.KAFKA_STREAM)).and(new ConnectorCheck(Areas.SQL_KAFKA, "Kafka"))
                .transform(enforcement)
                .type(named(SqlAdmission.KAFKA_V1)).and(new ConnectorCheck(Areas.SQL_KAFKA_V1, "Kafka v1"))
                .transform(enforcement(agentLoader, SqlHooks.KAFKA_V1))
                .type(named(SqlAdmission.FILE_SOURCE))
                .and(new SluiceInstaller.HostLoader(agentLoader, null, SluiceInstaller.SYSTEM_ERR))
                .and(new FilesCheck(Areas.SQL_FILES)).transform(enforcement(agentLoader, SqlHooks.FILES))
                .type(named(SqlAdmission.FILE_SOURCE_41))
                .and(new SluiceInstaller.HostLoader(agentLoader, null, SluiceInstaller.SYSTEM_ERR))
                .and(new FilesCheck(Areas.SQL_FILES_41)).transform(enforcement(agentLoader, SqlHooks.FILES_41));
    }

    private static AgentBuilder.Transformer.ForAdvice enforcement(ClassLoader agentLoader, List<HookPoint> hooks) {
        AgentBuilder.Transformer.ForAdvice enforcement = transformer(agentLoader);
        for (HookPoint hook : hooks) {
            enforcement = enforcement.advice(named(hook.methodName).and(hasDescriptor(hook.descriptor)),
                    hook.adviceClass);
        }
        return enforcement;
    }

    private static AgentBuilder.Transformer.ForAdvice transformer(ClassLoader agentLoader) {
        return new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                .withExceptionHandler(Advice.ExceptionHandler.Default.SUPPRESSING);
    }

    /**
     * A file-source area's generated references, once per class loader that loads the file source (Spark SQL itself,
     * so usually the application class loader); a mismatch keeps Spark's limits for file sources only.
     */
    static final class FilesCheck extends OncePerLoader {
        private final ReferenceArea area;

        FilesCheck(ReferenceArea area) {
            super(SluiceInstaller.SYSTEM_ERR);
            this.area = area;
        }

        @Override
        String refusal(TypeDescription type, ClassLoader loader) {
            SparkCompatibility.Result r = SparkCompatibility.check(loader, area);
            return r.compatible ? null : "Sluice: Structured Streaming file sources keep Spark's limits: "
                    + (r.problem != null ? r.problem : "the area's classes are incomplete in " + loader)
                    + "; the rest of Sluice is unaffected";
        }
    }

    /**
     * A Kafka source area's generated references (v2 or v1), once per class loader that loads that source; a mismatch
     * leaves that source class alone.
     */
    static final class ConnectorCheck extends OncePerLoader {
        private final ReferenceArea area;
        private final String what;

        ConnectorCheck(ReferenceArea area, String what) {
            super(SluiceInstaller.SYSTEM_ERR);
            this.area = area;
            this.what = what;
        }

        @Override
        String refusal(TypeDescription type, ClassLoader loader) {
            SparkCompatibility.Result r = SparkCompatibility.check(loader, area);
            return r.compatible ? null : "Sluice: Structured Streaming " + what + " sources keep Spark's limits: "
                    + (r.problem != null ? r.problem : "the area's classes are incomplete in " + loader)
                    + "; the rest of Sluice is unaffected";
        }
    }
}
