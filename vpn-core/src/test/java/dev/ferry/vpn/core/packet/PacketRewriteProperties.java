package dev.ferry.vpn.core.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpFamily;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * After any sequence of rewrites, the packet is byte for byte the packet built from scratch with
 * the rewritten values, and every checksum equals a full recomputation: IPv4 header, TCP, UDP,
 * ICMP, ICMPv6, and the embedded header and transport of ICMP errors.
 */
class PacketRewriteProperties {

  enum Kind { SOURCE, DESTINATION, SOURCE_PORT, DESTINATION_PORT, ICMP_IDENTIFIER, HOP_LIMIT }

  /** One rewrite, of the outer packet or (when {@code embedded}) of the ICMP error's payload. */
  record Op(Kind kind, boolean embedded, IpAddress address, int value) {}

  record Case(PacketSpec spec, List<Op> ops, int before, int after) {}

  @Provide
  Arbitrary<Case> cases() {
    return Arbitraries.randomValue(r -> {
      PacketSpec spec = PacketArbitraries.packet(r, r.nextBoolean() ? IpFamily.IPV4 : IpFamily.IPV6);
      return new Case(spec, ops(r, spec.family()), r.nextInt(40), r.nextInt(40));
    });
  }

  static List<Op> ops(Random r, IpFamily family) {
    List<Op> ops = new ArrayList<>();
    int count = 1 + r.nextInt(6);
    for (int i = 0; i < count; i++) {
      Kind kind = Kind.values()[r.nextInt(Kind.values().length)];
      ops.add(new Op(kind, r.nextInt(3) == 0, PacketArbitraries.address(r, family),
          PacketArbitraries.u16(r)));
    }
    return ops;
  }

  @Property
  void rewrittenPacketEqualsPacketBuiltWithNewValues(@ForAll("cases") Case c) {
    byte[] original = c.spec().build();
    byte[] buf = new byte[c.before() + original.length + c.after()];
    new Random(original.length).nextBytes(buf);
    byte[] surroundings = buf.clone();
    System.arraycopy(original, 0, buf, c.before(), original.length);

    IpPacketView view = new IpPacketView();
    assertEquals(PacketDefect.NONE, view.reset(buf, c.before(), original.length));
    PacketSpec expected = c.spec();
    for (Op op : c.ops()) {
      apply(view, op);
      expected = apply(expected, op);
    }

    assertArrayEquals(expected.build(),
        Arrays.copyOfRange(buf, c.before(), c.before() + original.length), expected.toString());
    ReferenceChecksums.assertAllMatch(buf, c.before(), original.length);
    assertArrayEquals(Arrays.copyOf(surroundings, c.before()), Arrays.copyOf(buf, c.before()));
    assertArrayEquals(Arrays.copyOfRange(surroundings, c.before() + original.length, buf.length),
        Arrays.copyOfRange(buf, c.before() + original.length, buf.length));
  }

  @Provide
  Arbitrary<Case> fragmentable() {
    return Arbitraries.randomValue(r -> {
      PacketSpec spec;
      do {
        spec = PacketArbitraries.packet(r, r.nextBoolean() ? IpFamily.IPV4 : IpFamily.IPV6);
      } while (spec.upper() == TestPackets.Upper.ICMP_ERROR
          || spec.extensionHeaders().stream().anyMatch(t -> t != IpProtocol.HOP_BY_HOP
              && t != IpProtocol.IPV6_ROUTING));
      // At least 48 octets per fragment, so the first holds any TCP header the builder makes.
      return new Case(spec, ops(r, spec.family()), 8 * (6 + r.nextInt(10)), r.nextInt(1 << 30));
    });
  }

  /**
   * Rewriting each fragment gives the fragments of the rewritten packet: only the first fragment
   * has ports and its transport checksum (of the whole datagram) is adjusted; the others change in
   * the IP header alone.
   */
  @Property
  void rewrittenFragmentsEqualFragmentsOfRewrittenPacket(@ForAll("fragmentable") Case c) {
    int maxData = c.before();
    int identification = c.after();
    List<byte[]> fragments = TestPackets.fragment(c.spec().build(), maxData, identification);
    PacketSpec expected = c.spec();
    for (Op op : c.ops()) {
      expected = op.embedded() ? expected : apply(expected, op);
    }
    List<byte[]> wanted = TestPackets.fragment(expected.build(), maxData, identification);
    IpPacketView view = new IpPacketView();
    for (int i = 0; i < fragments.size(); i++) {
      byte[] f = fragments.get(i);
      assertEquals(PacketDefect.NONE, view.reset(f, 0, f.length));
      assertEquals(i == 0 && c.spec().upper() != TestPackets.Upper.RAW, view.hasTransportHeader());
      for (Op op : c.ops()) {
        if (!op.embedded()) {
          apply(view, op);
        }
      }
      assertArrayEquals(wanted.get(i), f, "fragment " + i + " of " + fragments.size());
    }
  }

  static void apply(IpPacketView outer, Op op) {
    if (op.embedded() && !outer.isIcmpError()) {
      return;
    }
    IpPacketView v = op.embedded() ? outer.embedded() : outer;
    switch (op.kind()) {
      case SOURCE -> v.setSourceAddress(op.address());
      case DESTINATION -> v.setDestinationAddress(op.address());
      case SOURCE_PORT -> {
        if (v.hasPorts()) {
          v.setSourcePort(op.value());
        }
      }
      case DESTINATION_PORT -> {
        if (v.hasPorts()) {
          v.setDestinationPort(op.value());
        }
      }
      case ICMP_IDENTIFIER -> {
        if (v.hasIcmpIdentifier()) {
          v.setIcmpIdentifier(op.value());
        }
      }
      case HOP_LIMIT -> v.decrementHopLimit();
    }
  }

  static PacketSpec apply(PacketSpec s, Op op) {
    if (op.embedded()) {
      return s.upper() == TestPackets.Upper.ICMP_ERROR
          ? s.withInvoking(apply(s.invoking(), new Op(op.kind(), false, op.address(), op.value())))
          : s;
    }
    return switch (op.kind()) {
      case SOURCE -> s.withSource(op.address());
      case DESTINATION -> s.withDestination(op.address());
      case SOURCE_PORT -> s.hasPorts() ? s.withPorts(op.value(), s.destinationPort()) : s;
      case DESTINATION_PORT -> s.hasPorts() ? s.withPorts(s.sourcePort(), op.value()) : s;
      case ICMP_IDENTIFIER ->
          s.upper() == TestPackets.Upper.ICMP_ECHO ? s.withIcmpIdentifier(op.value()) : s;
      case HOP_LIMIT -> s.hopLimit() > 1 ? s.withHopLimit(s.hopLimit() - 1) : s;
    };
  }
}
