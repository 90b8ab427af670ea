package dev.sluice.strategy.builtin;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkSelectionTest {

    static List<Integer> kept(ChunkSelection s) {
        List<Integer> out = new ArrayList<>();
        for (int i = s.nextKept(0); i >= 0; i = s.nextKept(i + 1)) {
            out.add(i);
        }
        return out;
    }

    @Test
    void keepsAcrossWordBoundariesInOrderAndIdempotently() {
        ChunkSelection s = ChunkSelection.of(new Object[200]);
        for (int i : new int[] {199, 0, 63, 64, 127, 128, 63}) {
            s.keep(i);
        }
        assertEquals(Arrays.asList(0, 63, 64, 127, 128, 199), kept(s));
        assertEquals(6, s.keptCount());
        assertFalse(s.allKept());
        assertTrue(s.isKept(64));
        assertFalse(s.isKept(65));
        assertEquals(127, s.nextKept(65));
        assertEquals(-1, s.nextKept(200));
    }

    @Test
    void nothingKeptByDefault() {
        ChunkSelection s = ChunkSelection.of(1, 2, 3);
        assertEquals(0, s.keptCount());
        assertEquals(-1, s.nextKept(0));
        assertFalse(s.allKept());
    }

    @Test
    void keepAllAndKeepingEveryIndexBothMeanAllKept() {
        ChunkSelection a = ChunkSelection.of(1, 2, 3);
        a.keepAll();
        a.keep(1);
        assertTrue(a.allKept());
        assertEquals(3, a.keptCount());
        assertEquals(Arrays.asList(0, 1, 2), kept(a));

        ChunkSelection b = ChunkSelection.of(Arrays.asList("x", "y"));
        b.keep(0);
        b.keep(1);
        assertTrue(b.allKept());
        assertEquals("y", b.get(1));
    }

    @Test
    void anEmptyChunkIsAllKept() {
        ChunkSelection s = ChunkSelection.of();
        assertTrue(s.allKept());
        assertEquals(-1, s.nextKept(0));
    }

    @Test
    void indicesAreChecked() {
        ChunkSelection s = ChunkSelection.of(1, 2);
        assertThrows(IndexOutOfBoundsException.class, () -> s.keep(2));
        assertThrows(IndexOutOfBoundsException.class, () -> s.keep(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> s.get(5));
    }

    @Test
    void readsThroughTheSourceWithoutCopying() {
        int[] reads = {0};
        ChunkSelection s = new ChunkSelection(i -> {
            reads[0]++;
            return i * 10;
        }, 4);
        assertEquals(30, s.get(3));
        assertEquals(1, reads[0]);
    }
}
