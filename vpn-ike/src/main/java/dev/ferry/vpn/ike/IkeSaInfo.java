package dev.ferry.vpn.ike;

import dev.ferry.vpn.core.io.UdpEndpoint;
import java.util.Objects;

/**
 * A description of one IKE SA for events and logs: the SPIs (as strongSwan prints them), our role,
 * the negotiated suite (empty until IKE_SA_INIT completes) and the endpoints.
 *
 * @param suite the negotiated IKE proposal, e.g. {@code aes128gcm16-prfsha256-ecp256}, or empty
 */
public record IkeSaInfo(
    long initiatorSpi, long responderSpi, boolean initiator, String suite, UdpEndpoint local,
    UdpEndpoint remote) {

  public IkeSaInfo {
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(remote, "remote");
  }

  /** {@code 1a2b3c4d5e6f7081_i 0000000000000000_r} as strongSwan prints SPIs, our side marked *. */
  public String spis() {
    return String.format("%016x_i%s %016x_r%s", initiatorSpi, initiator ? "*" : "", responderSpi,
        initiator ? "" : "*");
  }

  @Override
  public String toString() {
    return spis() + " " + local + "..." + remote + (suite.isEmpty() ? "" : " " + suite);
  }
}
