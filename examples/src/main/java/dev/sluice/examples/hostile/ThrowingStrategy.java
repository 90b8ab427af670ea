package dev.sluice.examples.hostile;

/** Throws from every call once its good calls are used up ({@link MisbehavingStrategy}). */
public final class ThrowingStrategy extends MisbehavingStrategy {

    @Override
    protected boolean misbehave() {
        throw new IllegalStateException("ThrowingStrategy: a user strategy failing on purpose");
    }
}
