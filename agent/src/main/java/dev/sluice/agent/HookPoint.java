package dev.sluice.agent;

/** One advised Spark method: the declaring class, the method, its JVM descriptor, and the advice applied to it. */
public final class HookPoint {

    public final String className;
    public final String methodName;
    public final String descriptor;
    public final String adviceClass;

    HookPoint(String className, String methodName, String descriptor, Class<?> advice) {
        this.className = className;
        this.methodName = methodName;
        this.descriptor = descriptor;
        this.adviceClass = advice.getName();
    }

    @Override
    public String toString() {
        return className + "." + methodName + descriptor;
    }
}
