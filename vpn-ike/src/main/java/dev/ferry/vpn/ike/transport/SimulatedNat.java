package dev.ferry.vpn.ike.transport;

import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpPrefix;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A deterministic NAPT for a {@link LoopbackIkeNetwork}: datagrams from inside {@code inside} to
 * the outside leave from {@code publicAddress} with a port allocated in sequence from {@code
 * firstPublicPort} (one mapping per inside endpoint, kept for later datagrams); datagrams to a
 * mapped public port are sent back to the inside endpoint, and datagrams to an unmapped public port
 * are dropped. This is what makes the peers' NAT detection hashes (RFC 7296 section 2.23) differ
 * and forces the float to the NAT-traversal port. {@link #rebind()} simulates a mapping timeout.
 */
public final class SimulatedNat implements DatagramRewriter {

  private final IpPrefix inside;
  private final IpAddress publicAddress;
  private final int firstPublicPort;
  private final Map<UdpEndpoint, UdpEndpoint> publicByInside = new HashMap<>();
  private final Map<Integer, UdpEndpoint> insideByPublicPort = new HashMap<>();
  private int nextPort;

  /**
   * @param firstPublicPort first port handed out; ports then count up and wrap back to it
   */
  public SimulatedNat(IpPrefix inside, IpAddress publicAddress, int firstPublicPort) {
    this.inside = Objects.requireNonNull(inside, "inside");
    this.publicAddress = Objects.requireNonNull(publicAddress, "publicAddress");
    if (firstPublicPort < 1 || firstPublicPort > 65535) {
      throw new IllegalArgumentException(
          "firstPublicPort " + firstPublicPort + " is outside 1..65535");
    }
    if (inside.contains(publicAddress)) {
      throw new IllegalArgumentException(
          "publicAddress " + publicAddress + " lies inside the NATed prefix " + inside);
    }
    this.firstPublicPort = firstPublicPort;
    this.nextPort = firstPublicPort;
  }

  @Override
  public synchronized Flow rewrite(Flow flow) {
    boolean fromInside = inside.contains(flow.source().address());
    boolean toInside = inside.contains(flow.destination().address());
    if (fromInside && !toInside) {
      return new Flow(map(flow.source()), flow.destination());
    }
    if (!fromInside && flow.destination().address().equals(publicAddress)) {
      UdpEndpoint target = insideByPublicPort.get(flow.destination().port());
      return target == null ? null : new Flow(flow.source(), target);
    }
    return flow;
  }

  /** The public endpoint an inside endpoint is currently mapped to, if any. */
  public synchronized Optional<UdpEndpoint> publicEndpointOf(UdpEndpoint insideEndpoint) {
    return Optional.ofNullable(publicByInside.get(insideEndpoint));
  }

  /** Forgets every mapping, as after an idle timeout; the next datagram out gets a new port. */
  public synchronized void rebind() {
    publicByInside.clear();
    insideByPublicPort.clear();
  }

  private UdpEndpoint map(UdpEndpoint source) {
    UdpEndpoint mapped = publicByInside.get(source);
    if (mapped == null) {
      int port = allocatePort();
      mapped = new UdpEndpoint(publicAddress, port);
      publicByInside.put(source, mapped);
      insideByPublicPort.put(port, source);
    }
    return mapped;
  }

  private int allocatePort() {
    int span = 65536 - firstPublicPort;
    for (int tried = 0; tried < span; tried++) {
      int port = nextPort;
      nextPort = port == 65535 ? firstPublicPort : port + 1;
      if (!insideByPublicPort.containsKey(port)) {
        return port;
      }
    }
    throw new IllegalStateException(
        "SimulatedNat " + publicAddress + " has no free port from " + firstPublicPort);
  }
}
