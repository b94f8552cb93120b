/**
 * Time seams for protocol code: a {@link dev.ferry.vpn.core.time.Scheduler} for delayed work
 * (retransmission, rekey and DPD timers) next to {@code java.time.InstantSource} for the current
 * time, each with an in-memory twin ({@link dev.ferry.vpn.core.time.ManualScheduler}) so that
 * exchanges run deterministically in one thread in tests. Nothing in the control plane calls
 * {@code Instant.now()} or sleeps.
 */
package dev.ferry.vpn.core.time;
