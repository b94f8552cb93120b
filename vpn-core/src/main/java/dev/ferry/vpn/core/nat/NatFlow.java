package dev.ferry.vpn.core.nat;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.Ipv4Address;
import dev.ferry.vpn.core.net.Ipv6Address;

/**
 * One source NAT flow of a {@link SourceNatTable}: the inside endpoint, the remote endpoint and the
 * external port or identifier that stands for the inside endpoint on the wire.
 *
 * <p>The tuple is fixed for the life of the flow and safe to read from any thread, also after the
 * flow expired. The idle deadline and TCP state are the table's business and stay private to it.
 * Addresses are held as two 64-bit halves; an IPv4 address sits in the low 32 bits of {@code low}.
 */
public final class NatFlow {

  final FlowProtocol protocol;
  final boolean ipv6;
  final long insideHigh;
  final long insideLow;
  final int insidePort;
  final long remoteHigh;
  final long remoteLow;
  final int remotePort;
  final long externalHigh;
  final long externalLow;
  final int externalPort;
  final SourceNatTable.PortPool pool;

  /** Guarded by the owning table's lock. */
  long deadlineNanos;

  /** {@link SourceNatTable} TCP state bits; guarded by the owning table's lock. */
  int tcpState;

  NatFlow(FlowProtocol protocol, boolean ipv6, long insideHigh, long insideLow, int insidePort,
      long remoteHigh, long remoteLow, int remotePort, int externalPort,
      SourceNatTable.PortPool pool) {
    this.protocol = protocol;
    this.ipv6 = ipv6;
    this.insideHigh = insideHigh;
    this.insideLow = insideLow;
    this.insidePort = insidePort;
    this.remoteHigh = remoteHigh;
    this.remoteLow = remoteLow;
    this.remotePort = remotePort;
    this.externalHigh = pool.externalHigh;
    this.externalLow = pool.externalLow;
    this.externalPort = externalPort;
    this.pool = pool;
  }

  public FlowProtocol protocol() {
    return protocol;
  }

  public IpAddress insideAddress() {
    return address(insideHigh, insideLow);
  }

  /** The inside host's port, or its ICMP echo identifier. */
  public int insidePort() {
    return insidePort;
  }

  public IpAddress remoteAddress() {
    return address(remoteHigh, remoteLow);
  }

  /** The remote port; 0 for ICMP echo, whose identifier is the only port-like field. */
  public int remotePort() {
    return remotePort;
  }

  /** The single address the inside hosts share. */
  public IpAddress externalAddress() {
    return address(externalHigh, externalLow);
  }

  /** The port or ICMP identifier given to this flow on the external side. */
  public int externalPort() {
    return externalPort;
  }

  private IpAddress address(long high, long low) {
    return ipv6 ? Ipv6Address.of(high, low) : Ipv4Address.of((int) low);
  }

  @Override
  public String toString() {
    return protocol + " " + insideAddress() + ":" + insidePort + " -> " + remoteAddress() + ":"
        + remotePort + " as " + externalAddress() + ":" + externalPort;
  }
}
