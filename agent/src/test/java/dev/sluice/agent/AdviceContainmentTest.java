package dev.sluice.agent;

import dev.sluice.agent.references.Areas;
import dev.sluice.agent.references.GenerateReferences;
import net.bytebuddy.asm.Advice;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every advice method inlined into Spark suppresses Throwable: whatever Sluice does wrong, Spark goes on. */
class AdviceContainmentTest {

    @Test
    void everyAdviceMethodOfEveryAdviceClassSuppressesThrowable() throws Exception {
        Set<String> adviceClasses = new HashSet<>();
        for (String name : GenerateReferences.classesOf(Areas.RECEIVER, getClass().getClassLoader()).keySet()) {
            if (name.startsWith("dev.sluice.receiver.advice.")) {
                adviceClasses.add(name);
            }
        }
        Set<String> hooked = new HashSet<>();
        for (HookPoint h : Hooks.ALL) {
            hooked.add(h.adviceClass);
        }
        assertEquals(hooked, adviceClasses, "every advice class is hooked, every hook has its advice class");
        List<String> unsuppressed = new ArrayList<>();
        int adviceMethods = 0;
        for (String name : adviceClasses) {
            for (Method m : Class.forName(name).getDeclaredMethods()) {
                Advice.OnMethodEnter enter = m.getAnnotation(Advice.OnMethodEnter.class);
                Advice.OnMethodExit exit = m.getAnnotation(Advice.OnMethodExit.class);
                if (enter == null && exit == null) {
                    continue;
                }
                adviceMethods++;
                Class<? extends Throwable> suppress = enter != null ? enter.suppress() : exit.suppress();
                if (suppress != Throwable.class) {
                    unsuppressed.add(name + "." + m.getName());
                }
            }
        }
        assertTrue(adviceMethods >= Hooks.ALL.size(), "found " + adviceMethods + " advice methods");
        assertEquals(new ArrayList<String>(), unsuppressed, "advice methods without suppress = Throwable.class");
    }
}
