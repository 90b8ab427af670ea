/**
 * Receiver streams, the hooks: thin Byte Buddy advice inlined into stock Spark classes ({@code Receiver.store},
 * {@code RateLimiter}, {@code ReceiverSupervisor}, {@code StreamingContext} start/stop, the receiver rate controller).
 * Each class only forwards to a static entry point of {@code dev.sluice.receiver.executor} or
 * {@code dev.sluice.receiver.driver} (plain, testable Java), so the inlined bytecode stays valid for Spark 3.x (class
 * file 52) and 4.x (61) alike. Every advice method suppresses {@code Throwable}: whatever Sluice does wrong, Spark goes on
 * as if unadvised. Registered by the agent's {@code Hooks}, checked at start-up as the {@code receiver} area.
 */
package dev.sluice.receiver.advice;
