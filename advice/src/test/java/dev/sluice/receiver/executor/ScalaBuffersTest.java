package dev.sluice.receiver.executor;

import dev.sluice.strategy.builtin.ChunkSelection;
import org.junit.jupiter.api.Test;
import scala.collection.mutable.ArrayBuffer;

import java.lang.invoke.MethodHandle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ScalaBuffersTest {

    @Test
    void rebuildsKeptRecordsInOrderOnScala212() throws Throwable {
        ArrayBuffer<Object> source = new ArrayBuffer<Object>(5);
        for (String s : new String[] {"a", "b", "c", "d", "e"}) {
            source.$plus$eq(s);
        }
        ChunkSelection selection = new ChunkSelection(source::apply, 5);
        selection.keep(4);
        selection.keep(1);
        ArrayBuffer<Object> kept = ScalaBuffers.kept(source, selection);
        assertEquals(2, kept.length());
        assertEquals("b", kept.apply(0));
        assertEquals("e", kept.apply(1));
        assertEquals(5, source.length());
    }

    @Test
    void findsTheScala212AppendMethod() throws Exception {
        MethodHandle h = ScalaBuffers.resolveAppend(ArrayBuffer.class);
        assertEquals(void.class, h.type().returnType());
    }

    @Test
    void aClassWithoutAppendIsReported() {
        assertThrows(NoSuchMethodException.class, () -> ScalaBuffers.resolveAppend(Object.class));
    }
}
