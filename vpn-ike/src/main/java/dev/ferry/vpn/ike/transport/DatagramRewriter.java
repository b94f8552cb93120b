package dev.ferry.vpn.ike.transport;

import dev.ferry.vpn.core.io.UdpEndpoint;
import java.util.Objects;

/**
 * Changes the addresses of datagrams crossing a {@link LoopbackIkeNetwork}, as a NAT or a rebinding
 * middlebox would. Called once per datagram when it is sent, under the network's lock, so
 * implementations need no synchronisation of their own and stay deterministic.
 */
@FunctionalInterface
public interface DatagramRewriter {

  /** The rewriter that changes nothing. */
  DatagramRewriter NONE = flow -> flow;

  /** Where a datagram comes from and goes to. */
  record Flow(UdpEndpoint source, UdpEndpoint destination) {
    public Flow {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(destination, "destination");
    }
  }

  /** The flow the datagram continues with, or null to drop it (e.g. no NAT mapping). */
  Flow rewrite(Flow flow);
}
