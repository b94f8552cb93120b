package dev.ferry.vpn.ike;

import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.esp.LifetimeLimit;
import dev.ferry.vpn.esp.SaLifetimeListener;
import java.util.Objects;

/**
 * Turns the data plane's lifetime events into CHILD SA exchanges of an {@link IkeEndpoint}
 * (strongSwan's kernel "expire" handling): a soft byte, packet or sequence-number limit rekeys the
 * CHILD SA with CREATE_CHILD_SA, make-before-break (RFC 7296 sections 1.3.3 and 2.8); a hard limit
 * of any kind deletes it with an INFORMATIONAL exchange, since the data plane no longer uses it.
 * Soft <em>time</em> limits are ignored here: the endpoint schedules those rekeys itself with
 * {@code rekeyfuzz}, so the two peers rarely start at once.
 *
 * <p>The SA store needs its listener before the endpoint that installs into it exists, so the
 * endpoint is {@link #bind bound} afterwards; events before that cannot concern any SA. Callbacks
 * come from data-plane threads and only hand the SPI to the endpoint, whose methods run the work
 * on the IKE SA's executor. The endpoint rekeys an SA at most once (a second request for an SA
 * already being replaced is ignored), and a deleted or unknown SPI is ignored.
 */
public final class DataPlaneLifetimeBridge implements SaLifetimeListener {
  private volatile IkeEndpoint endpoint;

  /** Routes later events to {@code endpoint}; may be called once. */
  public void bind(IkeEndpoint endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    synchronized (this) {
      if (this.endpoint != null) {
        throw new IllegalStateException("this lifetime bridge is already bound to an endpoint");
      }
      this.endpoint = endpoint;
    }
  }

  @Override
  public void softLimitReached(ChildSaSpec sa, LifetimeLimit limit) {
    IkeEndpoint target = endpoint;
    if (target != null && limit != LifetimeLimit.TIME) {
      target.rekeyChild(sa.inboundSpi());
    }
  }

  @Override
  public void hardLimitReached(ChildSaSpec sa, LifetimeLimit limit) {
    IkeEndpoint target = endpoint;
    if (target != null) {
      target.deleteChild(sa.inboundSpi());
    }
  }
}
