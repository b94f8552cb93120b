package dev.ferry.vpn.esp;

import dev.ferry.vpn.core.sa.ChildSaSpec;

/**
 * How the data plane tells the control plane that a CHILD SA is getting old (strongSwan's kernel
 * "expire" events). Each callback fires at most once per SA, on whichever thread crossed the limit:
 * a packet worker or the scheduler. Implementations must return quickly and must not block or call
 * back into the {@link SaStore} synchronously; hand the event to the IKE SA's executor instead.
 */
public interface SaLifetimeListener {

  /** Ignores every event (for tests and for SAs whose lifetimes IKE tracks by itself). */
  SaLifetimeListener NONE = new SaLifetimeListener() {
    @Override
    public void softLimitReached(ChildSaSpec sa, LifetimeLimit limit) {}

    @Override
    public void hardLimitReached(ChildSaSpec sa, LifetimeLimit limit) {}
  };

  /** A soft limit was reached: rekey the CHILD SA now (RFC 7296 section 2.8). */
  void softLimitReached(ChildSaSpec sa, LifetimeLimit limit);

  /** A hard limit was reached: the SA now drops traffic both ways; delete it. */
  void hardLimitReached(ChildSaSpec sa, LifetimeLimit limit);
}
