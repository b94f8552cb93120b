package dev.ferry.vpn.core.packet;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.net.Ipv4Address;
import dev.ferry.vpn.core.net.Ipv6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * jqwik generators of valid packets ({@link PacketSpec}) of every shape {@link TestPackets} builds:
 * IPv4 (with options) and IPv6 (with extension headers) carrying TCP, UDP (with and without
 * checksum), ICMP/ICMPv6 echo, another protocol, or an ICMP error embedding such a packet, cut at
 * the RFC 792 minimum, in between, or whole. Public for other modules' tests.
 */
public final class PacketArbitraries {

  private PacketArbitraries() {}

  /** Any packet, either family, including ICMP errors. */
  public static Arbitrary<PacketSpec> packets() {
    return Arbitraries.randomValue(r -> packet(r, r.nextBoolean() ? IpFamily.IPV4 : IpFamily.IPV6));
  }

  /** Packets of one family. */
  public static Arbitrary<PacketSpec> packets(IpFamily family) {
    return Arbitraries.randomValue(r -> packet(r, family));
  }

  /** Only ICMP errors, either family. */
  public static Arbitrary<PacketSpec> icmpErrors() {
    return Arbitraries.randomValue(r -> icmpError(r, r.nextBoolean() ? IpFamily.IPV4 : IpFamily.IPV6));
  }

  /** An address of the family, biased to the all-zero and all-ones edges. */
  public static IpAddress address(Random r, IpFamily family) {
    int pick = r.nextInt(16);
    if (family == IpFamily.IPV4) {
      return Ipv4Address.of(pick == 0 ? 0 : pick == 1 ? -1 : r.nextInt());
    }
    return pick == 0 ? Ipv6Address.ZERO
        : pick == 1 ? Ipv6Address.of(-1L, -1L)
        : Ipv6Address.of(r.nextLong(), r.nextLong());
  }

  /** A port or identifier, biased to 0, 1 and 65535. */
  public static int u16(Random r) {
    int pick = r.nextInt(16);
    return pick == 0 ? 0 : pick == 1 ? 0xffff : pick == 2 ? 1 : r.nextInt(0x10000);
  }

  static PacketSpec packet(Random r, IpFamily family) {
    return r.nextInt(4) == 0 ? icmpError(r, family) : simple(r, family);
  }

  private static PacketSpec simple(Random r, IpFamily family) {
    TestPackets.Upper[] kinds = {
      TestPackets.Upper.TCP, TestPackets.Upper.UDP, TestPackets.Upper.ICMP_ECHO, TestPackets.Upper.RAW
    };
    TestPackets.Upper upper = kinds[r.nextInt(kinds.length)];
    byte[] payload = new byte[r.nextInt(4) == 0 ? 0 : r.nextInt(80)];
    r.nextBytes(payload);
    return new PacketSpec(address(r, family), address(r, family), r.nextInt(256),
        family == IpFamily.IPV4 ? r.nextInt(4) : 0, extensionHeaders(r, family), upper,
        u16(r), u16(r), r.nextInt(4), r.nextInt(4) == 0, r.nextBoolean(), u16(r),
        // A sequence number of at least 1 keeps an ICMPv4 echo reply from being all zero, the one
        // case where RFC 1624 eqn. 3 gives 0x0000 and a full computation 0xffff (RFC 1624 sec. 3).
        1 + r.nextInt(0xffff), 0, 0, null, 0, payload);
  }

  private static PacketSpec icmpError(Random r, IpFamily family) {
    PacketSpec invoking = simple(r, family);
    int[][] v4 = {{3, 16}, {4, 1}, {5, 4}, {11, 2}, {12, 2}};
    int[][] v6 = {{1, 7}, {2, 1}, {3, 2}, {4, 4}};
    int[] typeAndCodes = (family == IpFamily.IPV4 ? v4 : v6)[r.nextInt(family == IpFamily.IPV4 ? 5 : 4)];
    int whole = invoking.build().length;
    // RFC 792: the IP header and 64 bits of data; RFC 4443 section 2.4: as much as fits.
    int minimum = Math.min(whole, invoking.upperLayerOffset() + 8);
    int keep = switch (r.nextInt(3)) {
      case 0 -> minimum;
      case 1 -> minimum + r.nextInt(whole - minimum + 1);
      default -> whole;
    };
    if (invoking.upper() == TestPackets.Upper.TCP && keep == invoking.upperLayerOffset() + 17) {
      // Half of the embedded TCP checksum cannot be adjusted (its other octet is missing), so the
      // view leaves it as it is and a rebuilt packet would differ there; IpPacketViewTest covers
      // that case on its own.
      keep++;
    }
    byte[] payload = new byte[0];
    return new PacketSpec(address(r, family), address(r, family), r.nextInt(256),
        family == IpFamily.IPV4 ? r.nextInt(3) : 0, extensionHeaders(r, family),
        TestPackets.Upper.ICMP_ERROR, 0, 0, 0, false, false, 0, 0,
        typeAndCodes[0], r.nextInt(typeAndCodes[1]), invoking, keep, payload);
  }

  /** RFC 8200 section 4.1 order: hop-by-hop first, then any mix, at most one fragment header. */
  private static List<Integer> extensionHeaders(Random r, IpFamily family) {
    List<Integer> out = new ArrayList<>();
    if (family == IpFamily.IPV4 || r.nextInt(3) != 0) {
      return out;
    }
    if (r.nextBoolean()) {
      out.add(IpProtocol.HOP_BY_HOP);
    }
    int[] others = {IpProtocol.IPV6_ROUTING, IpProtocol.IPV6_DESTINATION_OPTIONS, IpProtocol.AH};
    int count = r.nextInt(3);
    for (int i = 0; i < count; i++) {
      out.add(others[r.nextInt(others.length)]);
    }
    if (r.nextInt(4) == 0) {
      out.add(r.nextInt(out.size() + 1), IpProtocol.IPV6_FRAGMENT);
      if (out.get(0) != IpProtocol.HOP_BY_HOP && out.contains(IpProtocol.HOP_BY_HOP)) {
        out.remove((Integer) IpProtocol.HOP_BY_HOP);
        out.add(0, IpProtocol.HOP_BY_HOP);
      }
    }
    return out;
  }
}
