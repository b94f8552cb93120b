package dev.ferry.vpn.core.nat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.net.Ipv4Address;
import dev.ferry.vpn.core.net.Ipv6Address;
import dev.ferry.vpn.core.packet.IpPacketView;
import dev.ferry.vpn.core.packet.TestPackets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class NatEngineTest {

  private static final NatPolicy ONE_TO_ONE = new NatPolicy(
      rules("10.171.42.0/24=10.10.10.0/24", "10.171.50.7/32=10.10.20.7/32",
          "fd00:aa::/64=fd00:bb::/64"),
      rules("10.1.1.0/24=172.20.1.0/24", "2001:db8:1::/64=fd00:cc::/64"));

  private static final IpAddress SNAT_ADDRESS = IpAddress.parse("192.168.168.100");

  private final AtomicLong now = new AtomicLong();

  private static List<NatRule> rules(String... lines) {
    return Arrays.stream(lines).map(NatRule::parse).toList();
  }

  /** 0 = TCP, 1 = UDP, 2 = ICMP echo request (identifier = source port), 3 = reply. */
  static byte[] packet(IpAddress src, IpAddress dst, int kind, int srcPort, int dstPort) {
    TestPackets.Builder b = TestPackets.packet(src, dst).payload(new byte[] {1, 2, 3, 4, 5});
    return switch (kind) {
      case 0 -> b.tcp(srcPort, dstPort).build();
      case 1 -> b.udp(srcPort, dstPort).build();
      default -> b.icmpEcho(kind == 2, srcPort, 77).build();
    };
  }

  static IpPacketView view(byte[] packet) {
    IpPacketView v = new IpPacketView();
    v.reset(packet, 0, packet.length);
    return v;
  }

  static void assertChecksumsRight(byte[] packet) {
    IpPacketView v = IpPacketView.parse(packet);
    if (v.version() == 4) {
      assertEquals(v.computeIpv4HeaderChecksum(), v.ipv4HeaderChecksum(), "IPv4 header");
    }
    if (v.hasCompleteTransport()) {
      assertEquals(v.computeTransportChecksum(), v.transportChecksum(), "transport");
    }
    if (v.isIcmpError() && v.embedded().version() == 4) {
      IpPacketView e = v.embedded();
      assertEquals(e.computeIpv4HeaderChecksum(), e.ipv4HeaderChecksum(), "embedded header");
    }
  }

  private static int port(IpPacketView v, boolean source) {
    return v.isIcmp() ? v.icmpIdentifier() : source ? v.sourcePort() : v.destinationPort();
  }

  private static IpAddress hostIn(String prefix, long hostBits) {
    IpPrefix p = IpPrefix.parse(prefix);
    return p.address(Long.remainderUnsigned(hostBits, Math.min(p.sizeSaturated(), 1L << 40)));
  }

  @Test
  void seedsBidirectionalExample() {
    // Cloud 10.0.1.0/27 shows as 192.168.2.0/27, on-premises 10.0.1.0/24 as 192.168.1.0/24.
    NatEngine engine = new NatEngine(new NatPolicy(rules("10.0.1.0/27=192.168.2.0/27"),
        rules("10.0.1.0/24=192.168.1.0/24")));
    byte[] out = packet(IpAddress.parse("10.0.1.5"), IpAddress.parse("192.168.1.7"), 0, 40000, 80);
    assertEquals(NatVerdict.TRANSLATED, engine.outbound(view(out)));
    IpPacketView v = view(out);
    assertEquals("192.168.2.5", v.sourceAddress().toString());
    assertEquals("10.0.1.7", v.destinationAddress().toString());
    assertChecksumsRight(out);
    byte[] reply = packet(IpAddress.parse("10.0.1.7"), IpAddress.parse("192.168.2.5"), 0, 80, 40000);
    assertEquals(NatVerdict.TRANSLATED, engine.inbound(view(reply)));
    assertEquals("192.168.1.7", view(reply).sourceAddress().toString());
    assertEquals("10.0.1.5", view(reply).destinationAddress().toString());
    assertChecksumsRight(reply);
    assertEquals(1, engine.stats().outbound(NatVerdict.TRANSLATED));
    assertEquals(1, engine.stats().inbound(NatVerdict.TRANSLATED));
  }

  @Property(tries = 400)
  void oneToOneRoundTripRestoresTheFlowAndKeepsChecksums(
      @ForAll boolean ipv6, @ForAll @IntRange(min = 0, max = 3) int kind,
      @ForAll long insideHost, @ForAll long remoteHost,
      @ForAll @IntRange(min = 1, max = 65535) int sport,
      @ForAll @IntRange(min = 1, max = 65535) int dport) {
    NatEngine engine = new NatEngine(ONE_TO_ONE);
    IpAddress inside = ipv6 ? hostIn("fd00:aa::/64", insideHost)
        : insideHost % 5 == 0 ? IpAddress.parse("10.171.50.7") : hostIn("10.171.42.0/24", insideHost);
    IpAddress remoteSeen = ipv6 ? hostIn("fd00:cc::/64", remoteHost) : hostIn("172.20.1.0/24", remoteHost);
    byte[] out = packet(inside, remoteSeen, kind, sport, dport);
    assertEquals(NatVerdict.TRANSLATED, engine.outbound(view(out)));
    assertChecksumsRight(out);
    IpPacketView sent = view(out);
    NatRule rule = ONE_TO_ONE.localOneToOne().stream()
        .filter(r -> r.original().contains(inside)).findFirst().orElseThrow();
    assertTrue(rule.mapped().contains(sent.sourceAddress()));
    assertEquals(inside, sent.sourceAddress()
        .withNetworkBits(rule.original().network(), rule.original().prefixLength()),
        "host bits kept");
    assertEquals(port(view(packet(inside, remoteSeen, kind, sport, dport)), true), port(sent, true));
    // The remote side answers the translated packet; inbound must restore the original flow.
    int replyKind = kind == 2 ? 3 : kind;
    byte[] reply = packet(sent.destinationAddress(), sent.sourceAddress(), replyKind, dport, sport);
    if (kind >= 2) {
      reply = packet(sent.destinationAddress(), sent.sourceAddress(), replyKind, sport, 0);
    }
    assertEquals(NatVerdict.TRANSLATED, engine.inbound(view(reply)));
    assertChecksumsRight(reply);
    IpPacketView back = view(reply);
    assertEquals(remoteSeen, back.sourceAddress());
    assertEquals(inside, back.destinationAddress());
  }

  @Property
  void unmappedPacketsAreByteIdentical(
      @ForAll boolean ipv6, @ForAll @IntRange(min = 0, max = 3) int kind,
      @ForAll long a, @ForAll long b,
      @ForAll @IntRange(min = 1, max = 65535) int sport,
      @ForAll @IntRange(min = 1, max = 65535) int dport) {
    NatEngine engine = new NatEngine(ONE_TO_ONE);
    IpAddress src = ipv6 ? hostIn("2001:db8:7::/48", a) : hostIn("192.0.2.0/24", a);
    IpAddress dst = ipv6 ? hostIn("2001:db8:9::/48", b) : hostIn("198.51.100.0/24", b);
    byte[] packet = packet(src, dst, kind, sport, dport);
    byte[] copy = packet.clone();
    assertEquals(NatVerdict.UNCHANGED, engine.outbound(view(packet)));
    assertEquals(NatVerdict.UNCHANGED, engine.inbound(view(packet)));
    assertArrayEquals(copy, packet);
  }

  private NatEngine sourceNatEngine(int maxFlows) {
    SourceNatTable table = new SourceNatTable(
        SourceNatConfig.DEFAULTS.withMaxFlows(maxFlows), now::get);
    return new NatEngine(NatPolicy.singleSource(SNAT_ADDRESS,
        List.of(IpPrefix.parse("172.30.0.0/16"), IpPrefix.parse("10.171.42.0/24")),
        rules("10.1.1.0/24=172.20.1.0/24")), table);
  }

  @Property(tries = 300)
  void singleSourceFlowsGetDistinctExternalTuplesAndRepliesReturn(
      @ForAll @IntRange(min = 0, max = 2) int kind,
      @ForAll @IntRange(min = 1, max = 30) int flows,
      @ForAll long seed) {
    NatEngine engine = sourceNatEngine(1000);
    Set<String> external = new HashSet<>();
    for (int i = 0; i < flows; i++) {
      // Few hosts and ports, so that inside ports collide and must be reassigned.
      IpAddress inside = hostIn("172.30.0.0/16", (seed >>> (i % 8)) % 3);
      int sport = 2000 + (int) Long.remainderUnsigned(seed + i, 4);
      IpAddress remoteSeen = hostIn("172.20.1.0/24", 1 + i % 2);
      byte[] out = packet(inside, remoteSeen, kind, sport, 443);
      byte[] original = out.clone();
      assertEquals(NatVerdict.TRANSLATED, engine.outbound(view(out)));
      assertChecksumsRight(out);
      IpPacketView sent = view(out);
      assertEquals(SNAT_ADDRESS, sent.sourceAddress());
      assertEquals(hostIn("10.1.1.0/24", 1 + i % 2), sent.destinationAddress());
      external.add(kind + " " + port(sent, true) + " " + sent.destinationAddress() + " "
          + (kind == 2 ? 0 : 443));
      byte[] reply = kind == 2
          ? packet(sent.destinationAddress(), SNAT_ADDRESS, 3, port(sent, true), 0)
          : packet(sent.destinationAddress(), SNAT_ADDRESS, kind, 443, port(sent, true));
      assertEquals(NatVerdict.TRANSLATED, engine.inbound(view(reply)));
      assertChecksumsRight(reply);
      IpPacketView back = view(reply);
      IpPacketView first = view(original);
      assertEquals(first.sourceAddress(), back.destinationAddress());
      assertEquals(first.destinationAddress(), back.sourceAddress());
      assertEquals(port(first, true), port(back, false));
    }
    List<NatFlow> live = engine.table().liveFlows();
    assertEquals(live.size(), external.size(), "one external tuple per live flow");
  }

  @Test
  void singleSourceRefusesUnsolicitedAndCountsAFullTable() {
    NatEngine engine = sourceNatEngine(1);
    byte[] unsolicited = packet(IpAddress.parse("10.1.1.9"), SNAT_ADDRESS, 0, 443, 5555);
    byte[] copy = unsolicited.clone();
    assertEquals(NatVerdict.DROPPED_UNSOLICITED, engine.inbound(view(unsolicited)));
    assertArrayEquals(copy, unsolicited);
    byte[] first = packet(IpAddress.parse("172.30.0.1"), IpAddress.parse("172.20.1.1"), 1, 5000, 53);
    assertEquals(NatVerdict.TRANSLATED, engine.outbound(view(first)));
    byte[] second = packet(IpAddress.parse("172.30.0.2"), IpAddress.parse("172.20.1.1"), 1, 5000, 53);
    byte[] before = second.clone();
    assertEquals(NatVerdict.DROPPED_TABLE_FULL, engine.outbound(view(second)));
    assertArrayEquals(before, second, "a dropped packet is unchanged");
    byte[] esp = TestPackets.packet("172.30.0.3", "172.20.1.1").rawProtocol(50)
        .payload(new byte[16]).build();
    assertEquals(NatVerdict.DROPPED_UNTRACKABLE, engine.outbound(view(esp)));
    NatStats stats = engine.stats();
    assertEquals(1, stats.outbound(NatVerdict.DROPPED_TABLE_FULL));
    assertEquals(1, stats.inbound(NatVerdict.DROPPED_UNSOLICITED));
    assertEquals(1, stats.conntrack().refusedTableFull());
    // After the UDP timeout the slot is reclaimed and the second host gets through.
    now.addAndGet(NatTimeouts.DEFAULTS.udp().toNanos());
    assertEquals(NatVerdict.TRANSLATED, engine.outbound(view(second)));
    IpPacketView broken = new IpPacketView();
    broken.reset(new byte[] {0x45, 0, 0}, 0, 3);
    assertEquals(NatVerdict.DROPPED_MALFORMED, engine.inbound(broken));
  }

  @Property(tries = 200)
  void icmpErrorsAreTranslatedBackToTheSender(
      @ForAll boolean sourceNat, @ForAll @IntRange(min = 0, max = 2) int kind,
      @ForAll @IntRange(min = 1024, max = 65535) int sport, @ForAll long host,
      @ForAll @IntRange(min = 8, max = 60) int keep) {
    NatEngine engine = sourceNat ? sourceNatEngine(100) : new NatEngine(ONE_TO_ONE);
    IpAddress inside = hostIn(sourceNat ? "172.30.0.0/16" : "10.171.42.0/24", host);
    IpAddress remoteSeen = IpAddress.parse("172.20.1.9");
    byte[] out = packet(inside, remoteSeen, kind, sport, 53);
    byte[] original = out.clone();
    assertEquals(NatVerdict.TRANSLATED, engine.outbound(view(out)));
    // A router on the remote side reports the translated packet (ICMP time exceeded).
    IpAddress router = IpAddress.parse("10.1.1.254");
    IpAddress sentFrom = view(out).sourceAddress();
    byte[] error = TestPackets.packet(router, sentFrom).icmpError(11, 0, out, 28 + keep).build();
    assertEquals(NatVerdict.TRANSLATED, engine.inbound(view(error)));
    assertChecksumsRight(error);
    IpPacketView v = view(error);
    assertEquals(inside, v.destinationAddress());
    assertEquals(IpAddress.parse("172.20.1.254"), v.sourceAddress());
    IpPacketView embedded = v.embedded();
    IpPacketView before = view(original);
    assertEquals(before.sourceAddress(), embedded.sourceAddress());
    assertEquals(before.destinationAddress(), embedded.destinationAddress());
    assertEquals(port(before, true), port(embedded, true));
    // An unrelated error to the source NAT address is unsolicited.
    if (sourceNat) {
      byte[] other = packet(SNAT_ADDRESS, IpAddress.parse("10.1.1.9"), 1, 1, 2);
      byte[] stray = TestPackets.packet(router, SNAT_ADDRESS).icmpError(3, 1, other, 28).build();
      assertEquals(NatVerdict.DROPPED_UNSOLICITED, engine.inbound(view(stray)));
    }
  }

  @Test
  void outboundIcmpErrorAboutAReplyUsesTheFlow() {
    NatEngine engine = sourceNatEngine(100);
    byte[] out = packet(IpAddress.parse("172.30.0.5"), IpAddress.parse("172.20.1.9"), 1, 5000, 53);
    engine.outbound(view(out));
    int ext = view(out).sourcePort();
    byte[] reply = packet(IpAddress.parse("10.1.1.9"), SNAT_ADDRESS, 1, 53, ext);
    assertEquals(NatVerdict.TRANSLATED, engine.inbound(view(reply)));
    // The inside host says "port unreachable" about the reply it got.
    byte[] error = TestPackets.packet(IpAddress.parse("172.30.0.5"), IpAddress.parse("172.20.1.9"))
        .icmpError(3, 3, reply, 64).build();
    assertEquals(NatVerdict.TRANSLATED, engine.outbound(view(error)));
    assertChecksumsRight(error);
    IpPacketView v = view(error);
    assertEquals(SNAT_ADDRESS, v.sourceAddress());
    assertEquals(IpAddress.parse("10.1.1.9"), v.destinationAddress());
    assertEquals(SNAT_ADDRESS, v.embedded().destinationAddress());
    assertEquals(ext, v.embedded().destinationPort());
    assertEquals(IpAddress.parse("10.1.1.9"), v.embedded().sourceAddress());
    assertNotEquals(0, engine.stats().conntrack().created());
  }

  @Test
  void ipv6SourceNatToA128() {
    NatEngine engine = new NatEngine(new NatPolicy(rules("fd00:1::/64=2001:db8:ff::1/128"),
        List.of()), new SourceNatTable(SourceNatConfig.DEFAULTS, now::get));
    byte[] out = packet(IpAddress.parse("fd00:1::7"), IpAddress.parse("2001:db8:5::1"), 2, 99, 0);
    assertEquals(NatVerdict.TRANSLATED, engine.outbound(view(out)));
    assertChecksumsRight(out);
    assertEquals(IpAddress.parse("2001:db8:ff::1"), view(out).sourceAddress());
    byte[] reply = packet(IpAddress.parse("2001:db8:5::1"), IpAddress.parse("2001:db8:ff::1"), 3,
        view(out).icmpIdentifier(), 0);
    assertEquals(NatVerdict.TRANSLATED, engine.inbound(view(reply)));
    assertEquals(IpAddress.parse("fd00:1::7"), view(reply).destinationAddress());
    assertEquals(99, view(reply).icmpIdentifier());
    assertChecksumsRight(reply);
    assertTrue(view(reply).sourceAddress() instanceof Ipv6Address);
    assertTrue(IpAddress.parse("10.0.0.1") instanceof Ipv4Address);
  }
}
