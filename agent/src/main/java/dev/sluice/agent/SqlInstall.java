package dev.sluice.agent;

import dev.sluice.agent.references.Areas;
import dev.sluice.agent.references.ReferenceArea;
import dev.sluice.sql.driver.SqlAdmission;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

import java.security.ProtectionDomain;

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
 * engine package). Where the file source's {@code takeFilesUntilMax} has the shape Sluice knows ({@link FilesTakenCheck}),
 * it is advised too and a {@code maxBytesPerTrigger} is governed; otherwise that limit is kept as set, with one line.
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
                .and(new FilesCheck(Areas.SQL_FILES)).transform(fileSource(agentLoader, SqlHooks.FILES))
                .type(named(SqlAdmission.FILE_SOURCE_41))
                .and(new SluiceInstaller.HostLoader(agentLoader, null, SluiceInstaller.SYSTEM_ERR))
                .and(new FilesCheck(Areas.SQL_FILES_41)).transform(fileSource(agentLoader, SqlHooks.FILES_41));
    }

    /** One engine package's file source: bytes reported where its takeFilesUntilMax passes the check. */
    private static AgentBuilder.Transformer fileSource(ClassLoader agentLoader, List<HookPoint> hooks) {
        HookPoint latestOffset = hooks.get(0);
        AgentBuilder.Transformer.ForAdvice withBytes = transformer(agentLoader)
                .advice(named(latestOffset.methodName).and(hasDescriptor(latestOffset.descriptor)),
                        SqlHooks.BYTES_REPORTING_LATEST_OFFSET_ADVICE)
                .advice(named(SqlHooks.TAKE_FILES).and(hasDescriptor(SqlHooks.TAKE_FILES_DESCRIPTOR)),
                        SqlHooks.FILES_TAKEN_ADVICE);
        return new BytesWhereReported(new FilesTakenCheck(SluiceInstaller.SYSTEM_ERR), withBytes,
                enforcement(agentLoader, hooks));
    }

    /**
     * Chooses, per file source class, between the advice that also governs {@code maxBytesPerTrigger} (its
     * {@code takeFilesUntilMax} passed {@link FilesTakenCheck}) and the plain {@code latestOffset} advice (a refusal,
     * said once per class loader): which {@code latestOffset} advice the class carries is how the runtime knows whether
     * the bytes a batch took will be reported.
     */
    static final class BytesWhereReported implements AgentBuilder.Transformer {
        private final FilesTakenCheck check;
        private final AgentBuilder.Transformer withBytes;
        private final AgentBuilder.Transformer withoutBytes;

        BytesWhereReported(FilesTakenCheck check, AgentBuilder.Transformer withBytes,
                           AgentBuilder.Transformer withoutBytes) {
            this.check = check;
            this.withBytes = withBytes;
            this.withoutBytes = withoutBytes;
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
                                                ClassLoader loader, JavaModule module, ProtectionDomain domain) {
            boolean reported = check.matches(type, loader, module, null, domain);
            return (reported ? withBytes : withoutBytes).transform(builder, type, loader, module, domain);
        }
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
