/**
 * Byte Buddy advice inlined into stock Spark classes. Each class is thin on purpose: it only forwards to a static entry
 * point in {@code dev.sluice.runtime} (plain, testable Java), so the inlined bytecode stays valid for Spark 3.x (class
 * file 52) and 4.x (61) alike. Every advice method suppresses {@code Throwable}: whatever Sluice does wrong, Spark goes on
 * as if unadvised.
 */
package dev.sluice.receiver.advice;
