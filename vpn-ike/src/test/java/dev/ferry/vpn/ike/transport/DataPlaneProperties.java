package dev.ferry.vpn.ike.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.esp.OutboundSa;
import dev.ferry.vpn.esp.pipeline.DataPlaneOptions;
import dev.ferry.vpn.esp.pipeline.TunnelMtu;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

/** Properties of the whole pipeline over the loopback network, per ESP suite. */
class DataPlaneProperties {
  private static final String[] SUITES = {
      "aes128gcm16", "aes256gcm16", "aes192gcm12", "aes128gcm8", "chacha20poly1305",
      "aes128-sha256", "aes256-sha384", "aes192-sha512", "aes128-sha1", "3des-sha1"};

  /** One started-less pair per suite, SA installed, reused across tries. */
  private static final Map<String, TunnelPair> PAIRS = new ConcurrentHashMap<>();

  private static TunnelPair pair(String suite) {
    return PAIRS.computeIfAbsent(suite, s -> {
      TunnelPair pair = TunnelPair.plain(s, DataPlaneOptions.DEFAULTS, DataPlaneOptions.DEFAULTS,
          9000, false);
      pair.install(0x0A00_1000, 0x0B00_1000, s.hashCode());
      return pair;
    });
  }

  @AfterContainer
  static void closePairs() {
    PAIRS.values().forEach(TunnelPair::close);
    PAIRS.clear();
  }

  /** An inner packet: family, protocol and length, and which way it travels. */
  record Inner(String suite, boolean ipv6, int protocol, int payload, boolean aToB, long seed) {}

  @Provide
  Arbitrary<Inner> inner() {
    return Combinators.combine(Arbitraries.of(SUITES), Arbitraries.of(true, false),
            Arbitraries.of(InnerPackets.TCP, InnerPackets.UDP, InnerPackets.ICMP, 253),
            Arbitraries.integers().between(0, 1500), Arbitraries.of(true, false),
            Arbitraries.longs())
        .as(Inner::new);
  }

  /**
   * Without NAT, any well-formed IPv4 or IPv6 packet no longer than the tunnel MTU arrives byte
   * for byte as it was sent, in either direction, for every suite.
   */
  @Property(tries = 400)
  void anyPacketWithinTheTunnelMtuCrossesUnchanged(@ForAll("inner") Inner inner)
      throws InterruptedException {
    TunnelPair pair = pair(inner.suite());
    TunnelPair.Side from = inner.aToB() ? pair.a : pair.b;
    TunnelPair.Side to = inner.aToB() ? pair.b : pair.a;
    int tunnelMtu = TunnelMtu.tunMtu(1500, IpFamily.IPV4, pair.proposal);
    int headers = (inner.ipv6() ? 40 : 20) + switch (inner.protocol()) {
      case InnerPackets.TCP -> 20;
      case 253 -> 0;
      default -> 8;
    };
    int protocol = inner.ipv6() && inner.protocol() == InnerPackets.ICMP
        ? InnerPackets.ICMPV6 : inner.protocol();
    byte[] payload = new byte[Math.min(inner.payload(), tunnelMtu - headers)];
    new java.util.Random(inner.seed()).nextBytes(payload);
    String source = inner.ipv6() ? (inner.aToB() ? "fd01::5" : "fd02::9")
        : (inner.aToB() ? "10.1.0.5" : "10.2.0.9");
    String destination = inner.ipv6() ? (inner.aToB() ? "fd02::9" : "fd01::5")
        : (inner.aToB() ? "10.2.0.9" : "10.1.0.5");
    byte[] packet = InnerPackets.packet(source, destination, protocol, inner.seed() % 2 == 0,
        new byte[0], payload);
    from.send(packet);
    assertArrayEquals(packet, to.tun().takeWritten(Duration.ofSeconds(2)));
    assertEquals(0, from.plane().stats().outerFragmented());
  }

  /**
   * {@link TunnelMtu#tunMtu} is exactly the largest inner packet the installed SA's ESP-in-UDP
   * packet fits the outer MTU with: the formula agrees with {@link OutboundSa#protectedLength}.
   */
  @Property
  void tunMtuIsTheLargestPacketTheSaCarries(@ForAll("suites") String suite,
      @ForAll @IntRange(min = 576, max = 9216) int outerMtu, @ForAll boolean ipv6Outer) {
    TunnelPair pair = pair(suite);
    IpFamily family = ipv6Outer ? IpFamily.IPV6 : IpFamily.IPV4;
    OutboundSa sa = pair.a.store().sa(0x0A00_1000).outbound();
    int mtu = TunnelMtu.tunMtu(outerMtu, family, pair.proposal);
    int outer = TunnelMtu.outerHeaders(family);
    assertTrue(outer + sa.protectedLength(mtu) <= outerMtu);
    assertTrue(outer + sa.protectedLength(mtu + 1) > outerMtu);
    assertEquals(mtu, TunnelMtu.innerMtu(sa, outerMtu, family));
  }

  @Provide
  Arbitrary<String> suites() {
    return Arbitraries.of(SUITES);
  }
}
