package dev.sluice.strategy;

/**
 * Implemented by a Spark {@code Receiver} that knows what must happen to its records under congestion, so that the
 * choice travels with the receiver's code instead of every deployment's configuration:
 *
 * <pre>{@code
 * public class SensorReceiver extends Receiver<String> implements DeclaresCongestionStrategy {
 *     public String congestionStrategy() {
 *         return "sample"; // readings are interchangeable: keep a uniform sample, never block the socket
 *     }
 * }
 * }</pre>
 *
 * <p>Precedence for a stream: {@code sluice.stream.<id>.strategy} (an operator's explicit choice for that stream) &gt;
 * this declaration &gt; {@code sluice.strategy} (the default for all streams) &gt; {@code throttle}. Everything else
 * applies as to a configured strategy: a lossy strategy is refused on a reliable receiver unless
 * {@code sluice.reliable.allowLoss=true}, and a strategy that throws falls back to throttle.
 *
 * <p>The agent calls these methods once per stream and executor JVM, on the executor, when Spark sets the receiver up
 * (before its first record). It recognises the interface by name, so the copy the application was compiled against
 * need not be the agent's. An exception from either method is contained and logged; the configuration then decides.
 */
public interface DeclaresCongestionStrategy {

    /** The interface's binary name, compared by the agent. */
    String NAME = "dev.sluice.strategy.DeclaresCongestionStrategy";

    /**
     * The strategy by name: {@code throttle}, {@code drop}, {@code sample}, or the fully qualified name of a class
     * implementing {@link CongestionStrategy} with a public no-argument constructor. Null: no declaration. Ignored
     * when {@link #congestionStrategyInstance()} returns an instance.
     */
    String congestionStrategy();

    /**
     * A strategy instance configured in code (for example {@code new TopKStrategy(...)} with a window), used instead of
     * {@link #congestionStrategy()} when not null. One instance serves one stream: return a new one per call. Its
     * {@code init} is called as for a configured strategy, with the stream's {@code sluice.strategy.<param>} values.
     */
    default CongestionStrategy congestionStrategyInstance() {
        return null;
    }
}
