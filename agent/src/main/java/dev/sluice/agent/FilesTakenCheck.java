package dev.sluice.agent;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.description.type.TypeList;

/**
 * The file source's {@code takeFilesUntilMax}, checked when {@code FileStreamSource} loads: a private method the agent
 * advises to learn the bytes a {@code maxBytesPerTrigger} batch took ({@link SqlHooks#TAKE_FILES}). It is not part of
 * the file source's generated references (a Spark without it must keep {@code maxFiles} governed), so this is where a
 * Spark that renamed or reshaped it is caught: it needs exactly one {@code takeFilesUntilMax(Seq, long)} returning
 * {@code Tuple2<FilesSplit, FilesSplit>} whose {@code FilesSplit} has the public {@code size()} returning
 * {@code scala.math.BigInt} the runtime reads. A mismatch prints one line, and the source gets the plain
 * {@code latestOffset} advice: {@code maxBytesPerTrigger} is kept as set, {@code maxFiles} is governed as before.
 */
final class FilesTakenCheck extends OncePerLoader {

    /** The source's accessor of its {@code maxBytesPerTrigger} option (4.0+): a source without it has no bytes limit. */
    static final String MAX_BYTES_OPTION = "maxBytesPerBatch";

    FilesTakenCheck(SluiceInstaller.Report report) {
        super(report);
    }

    @Override
    String refusal(TypeDescription source, ClassLoader loader) {
        String problem = problem(source);
        if (problem == null || problem.isEmpty()) {
            return problem;
        }
        return "Sluice: Structured Streaming file sources keep maxBytesPerTrigger as set: " + problem
                + "; maxFilesPerTrigger and \"all available\" are still governed, the rest of Sluice is unaffected";
    }

    /**
     * Null when {@code source} has the {@code takeFilesUntilMax} the advice and the runtime use; "" when it has no
     * {@code maxBytesPerTrigger} at all (3.x: no bytes limit to govern, nothing to say); else what differs.
     */
    static String problem(TypeDescription source) {
        MethodDescription take = null;
        int named = 0;
        boolean bytesOption = false;
        for (MethodDescription m : source.getDeclaredMethods()) {
            if (m.getInternalName().equals(SqlHooks.TAKE_FILES)) {
                named++;
                take = m;
            }
            bytesOption |= m.getInternalName().equals(MAX_BYTES_OPTION);
        }
        if (named == 0 && !bytesOption) {
            return "";
        }
        if (named != 1 || !take.getDescriptor().equals(SqlHooks.TAKE_FILES_DESCRIPTOR)) {
            return source.getName() + " declares " + named + " methods " + SqlHooks.TAKE_FILES
                    + (named == 1 ? " of descriptor " + take.getDescriptor() : "") + " (expected exactly 1, "
                    + SqlHooks.TAKE_FILES_DESCRIPTOR + ")";
        }
        try {
            TypeDescription.Generic result = take.getReturnType();
            TypeList.Generic sides = result.getSort() == TypeDefinition.Sort.PARAMETERIZED
                    ? result.getTypeArguments() : new TypeList.Generic.Empty();
            if (sides.size() != 2 || !sides.get(0).asErasure().equals(sides.get(1).asErasure())) {
                return source.getName() + "." + SqlHooks.TAKE_FILES + " returns " + result
                        + " (expected a Tuple2 of two splits)";
            }
            TypeDescription split = sides.get(0).asErasure();
            for (MethodDescription m : split.getDeclaredMethods()) {
                if (m.isPublic() && m.getInternalName().equals("size")
                        && m.getDescriptor().equals(SqlHooks.SPLIT_SIZE_DESCRIPTOR)) {
                    return null;
                }
            }
            return split.getName() + " has no public size" + SqlHooks.SPLIT_SIZE_DESCRIPTOR;
        } catch (RuntimeException e) {
            // A split class that cannot be described in this loader: the reflective read could not work either.
            return source.getName() + "." + SqlHooks.TAKE_FILES + "'s result cannot be read (" + e + ")";
        }
    }
}
