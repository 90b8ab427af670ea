package dev.sluice.receiver.executor;

import dev.sluice.strategy.builtin.ChunkSelection;
import scala.collection.mutable.ArrayBuffer;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;

/**
 * Builds a new Scala {@code ArrayBuffer} of the records a strategy kept. Appending differs by Scala line: 2.12 has
 * {@code $plus$eq(Object)} (returning ArrayBuffer), 2.13 {@code addOne(Object)} (returning Growable); a call compiled
 * against one fails to link on the other. So the append method is found by name on the running Scala library, once,
 * and called through a MethodHandle. {@code new ArrayBuffer(int)}, {@code length()} and {@code apply(int)} have the same
 * descriptors in both and are called directly.
 */
public final class ScalaBuffers {

    private static volatile MethodHandle append;

    private ScalaBuffers() {
    }

    /** A new buffer holding the kept records of {@code source}, in their original order. The source is not touched. */
    public static ArrayBuffer<Object> kept(ArrayBuffer<?> source, ChunkSelection selection) throws Throwable {
        MethodHandle add = appendHandle();
        ArrayBuffer<Object> out = new ArrayBuffer<Object>(Math.max(1, selection.keptCount()));
        for (int i = selection.nextKept(0); i >= 0; i = selection.nextKept(i + 1)) {
            add.invokeExact(out, (Object) source.apply(i));
        }
        return out;
    }

    static MethodHandle appendHandle() throws ReflectiveOperationException {
        MethodHandle h = append;
        if (h == null) {
            h = resolveAppend(ArrayBuffer.class);
            append = h;
        }
        return h;
    }

    /** {@code (ArrayBuffer, Object) -> void}, whichever of addOne / $plus$eq the running Scala library has. */
    static MethodHandle resolveAppend(Class<?> arrayBufferClass) throws ReflectiveOperationException {
        Method found = null;
        for (String name : new String[] {"addOne", "$plus$eq"}) {
            for (Method m : arrayBufferClass.getMethods()) {
                if (m.getName().equals(name) && m.getParameterTypes().length == 1
                        && m.getParameterTypes()[0] == Object.class && !m.isBridge()) {
                    found = m;
                    break;
                }
            }
            if (found == null) {
                for (Method m : arrayBufferClass.getMethods()) {
                    if (m.getName().equals(name) && m.getParameterTypes().length == 1
                            && m.getParameterTypes()[0] == Object.class) {
                        found = m;
                        break;
                    }
                }
            }
            if (found != null) {
                break;
            }
        }
        if (found == null) {
            throw new NoSuchMethodException(arrayBufferClass.getName() + " has neither addOne(Object) nor +=(Object)");
        }
        MethodHandle raw = MethodHandles.publicLookup().unreflect(found);
        return raw.asType(MethodType.methodType(void.class, ArrayBuffer.class, Object.class));
    }
}
