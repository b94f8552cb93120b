package dev.ferry.vpn.core.sa;

/**
 * The control plane's only way into the data plane (strongSwan's {@code kernel_ipsec_t},
 * narrowed): installs negotiated CHILD SAs and removes them.
 *
 * <p>Ordering contract (RFC 7296 section 2.8, make-before-break): the control plane installs the
 * inbound half of a new SA before the outbound half, so the peer's first packets on the new SA are
 * accepted; when an SA is rekeyed, the new pair is installed (inbound, then outbound, which takes
 * over outbound traffic for the same selectors) before the old pair is {@link #remove removed}.
 *
 * <p>Calls come from one IKE SA's executor at a time but different IKE SAs may call concurrently;
 * implementations must be thread-safe. Methods must not block on the network. Installing an SPI
 * that is already installed, or removing an unknown one, throws {@link IllegalStateException}
 * and changes nothing.
 */
public interface ChildSaInstaller {

  /** Makes the data plane accept packets on {@code sa.inboundSpi()}. */
  void installInbound(ChildSaSpec sa);

  /**
   * Makes the data plane protect traffic matching the SA's selectors with {@code
   * sa.outboundSpi()}, replacing an older outbound SA for the same selectors if there is one.
   * The inbound half must already be installed.
   */
  void installOutbound(ChildSaSpec sa);

  /** Removes both halves of the SA whose inbound SPI is {@code inboundSpi}. */
  void remove(int inboundSpi);

  /** Traffic counted on the SA whose inbound SPI is {@code inboundSpi}. */
  ChildSaCounters counters(int inboundSpi);

  /** Installs inbound then outbound, in that order (RFC 7296 section 2.8). */
  default void install(ChildSaSpec sa) {
    installInbound(sa);
    installOutbound(sa);
  }
}
