package dev.ferry.vpn.esp.pipeline;

import dev.ferry.vpn.core.net.IpAddress;

/**
 * Told by the {@link DataPlane} when an outbound packet found no CHILD SA (dropped as {@link
 * DataPlaneDrop#NO_POLICY}), so the control plane can negotiate one: the "acquire" of RFC 4301
 * section 5.2 and strongSwan's trap policies. Called on the outbound worker thread, at most once
 * per destination per {@link DataPlane#ACQUIRE_INTERVAL_NANOS}; implementations must return
 * quickly and hand the work to their own executor.
 */
@FunctionalInterface
public interface AcquireListener {

  /** Reports nothing (the default). */
  AcquireListener NONE = destination -> { };

  /** An outbound packet to {@code destination} had no CHILD SA and was dropped. */
  void acquire(IpAddress destination);
}
