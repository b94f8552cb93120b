package dev.ferry.vpn.esp;

import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.net.Ipv4Address;
import dev.ferry.vpn.core.net.Ipv6Address;
import dev.ferry.vpn.core.net.TrafficSelector;
import dev.ferry.vpn.core.packet.IpPacketView;
import java.util.List;

/**
 * One side of an SA's traffic selectors compiled into primitive arrays, so that checking a packet
 * (RFC 4301 section 5.2 step 4: after decryption the inner header must match the SA's selectors)
 * allocates nothing. Addresses are compared as unsigned ranges; protocol 0 and the full port
 * range mean any. For ICMP and ICMPv6 the "port" is type << 8 | code (RFC 4301 section 4.4.1.1);
 * packets without ports (other protocols, non-first fragments) match only selectors with the full
 * port range (RFC 4301 section 4.4.1.1, OPAQUE). Immutable.
 */
final class SelectorSet {
  private final List<TrafficSelector> selectors;
  private final boolean[] ipv6;
  private final long[] firstHigh;
  private final long[] firstLow;
  private final long[] lastHigh;
  private final long[] lastLow;
  private final int[] protocol;
  private final int[] startPort;
  private final int[] endPort;

  SelectorSet(List<TrafficSelector> selectors) {
    this.selectors = List.copyOf(selectors);
    int n = selectors.size();
    ipv6 = new boolean[n];
    firstHigh = new long[n];
    firstLow = new long[n];
    lastHigh = new long[n];
    lastLow = new long[n];
    protocol = new int[n];
    startPort = new int[n];
    endPort = new int[n];
    for (int i = 0; i < n; i++) {
      TrafficSelector ts = selectors.get(i);
      protocol[i] = ts.ipProtocol();
      startPort[i] = ts.startPort();
      endPort[i] = ts.endPort();
      if (ts.family() == IpFamily.IPV6) {
        ipv6[i] = true;
        Ipv6Address first = (Ipv6Address) ts.addresses().first();
        Ipv6Address last = (Ipv6Address) ts.addresses().last();
        firstHigh[i] = first.high();
        firstLow[i] = first.low();
        lastHigh[i] = last.high();
        lastLow[i] = last.low();
      } else {
        firstLow[i] = ((Ipv4Address) ts.addresses().first()).toUnsignedLong();
        lastLow[i] = ((Ipv4Address) ts.addresses().last()).toUnsignedLong();
      }
    }
  }

  List<TrafficSelector> selectors() {
    return selectors;
  }

  /** True when some selector covers the packet's source address, protocol and source port. */
  boolean matchesSource(IpPacketView packet) {
    return packet.family() == IpFamily.IPV4
        ? matches(packet, false, 0, Integer.toUnsignedLong(packet.sourceIpv4()), true)
        : matches(packet, true, packet.sourceIpv6High(), packet.sourceIpv6Low(), true);
  }

  /** True when some selector covers the destination address, protocol and destination port. */
  boolean matchesDestination(IpPacketView packet) {
    return packet.family() == IpFamily.IPV4
        ? matches(packet, false, 0, Integer.toUnsignedLong(packet.destinationIpv4()), false)
        : matches(packet, true, packet.destinationIpv6High(), packet.destinationIpv6Low(), false);
  }

  private boolean matches(IpPacketView packet, boolean v6, long high, long low, boolean source) {
    for (int i = 0; i < ipv6.length; i++) {
      if (ipv6[i] != v6 || !inRange(i, high, low)) {
        continue;
      }
      if (protocol[i] != TrafficSelector.ANY_PROTOCOL && protocol[i] != packet.protocol()) {
        continue;
      }
      if (startPort[i] == 0 && endPort[i] == 65535) {
        return true;
      }
      int port = port(packet, source);
      if (port >= startPort[i] && port <= endPort[i]) {
        return true;
      }
    }
    return false;
  }

  private boolean inRange(int i, long high, long low) {
    int fromFirst = Long.compareUnsigned(high, firstHigh[i]);
    if (fromFirst < 0 || (fromFirst == 0 && Long.compareUnsigned(low, firstLow[i]) < 0)) {
      return false;
    }
    int toLast = Long.compareUnsigned(high, lastHigh[i]);
    return toLast < 0 || (toLast == 0 && Long.compareUnsigned(low, lastLow[i]) <= 0);
  }

  /** The packet's port for selector purposes, or -1 when it has none. */
  private static int port(IpPacketView packet, boolean source) {
    if (packet.hasPorts()) {
      return source ? packet.sourcePort() : packet.destinationPort();
    }
    if (packet.isIcmp() && packet.hasTransportHeader()) {
      return packet.icmpType() << 8 | packet.icmpCode();
    }
    return -1;
  }

  @Override
  public String toString() {
    return selectors.toString();
  }
}
