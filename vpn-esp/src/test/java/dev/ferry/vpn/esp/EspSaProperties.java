package dev.ferry.vpn.esp;

import static dev.ferry.vpn.esp.EspFixtures.framed;
import static dev.ferry.vpn.esp.EspFixtures.innerPacket;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class EspSaProperties {
  /** Pairs are costly to build (JCE ciphers): one per suite and ESN mode, fresh windows suffice. */
  private final Map<String, EspFixtures.Pair> pairs = new HashMap<>();

  private EspFixtures.Pair pair(String suite, boolean esn) {
    return pairs.computeIfAbsent(suite + esn, k -> EspFixtures.pair(suite, esn));
  }

  @Provide
  Arbitrary<String> suites() {
    return Arbitraries.of(EspFixtures.SUITES);
  }

  @Provide
  Arbitrary<byte[]> payloads() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(9000);
  }

  @Property(tries = 120)
  void unprotectInvertsProtect(@ForAll("suites") String suite, @ForAll boolean esn,
      @ForAll boolean ipv6, @ForAll("payloads") byte[] payload,
      @ForAll @IntRange(max = 64) int tfcPadding) {
    EspFixtures.Pair pair = pair(suite, esn);
    byte[] packet = innerPacket(ipv6, payload);
    byte[] buf = framed(packet, tfcPadding);
    OutboundSa out = pair.ours().outbound();
    int length = out.protect(buf, OutboundSa.MAX_HEADROOM, packet.length, tfcPadding);
    assertTrue(length > 0, () -> "protect refused: " + OutboundDrop.of(length));
    int esp = OutboundSa.MAX_HEADROOM - out.headroom();
    assertEquals(out.headroom() + packet.length + out.tailroom(packet.length, tfcPadding), length);

    InnerPacket inner = new InnerPacket();
    assertEquals(EspVerdict.ACCEPTED, pair.peer().inbound().unprotect(buf, esp, length, inner));
    assertArrayEquals(packet,
        Arrays.copyOfRange(buf, inner.offset(), inner.offset() + inner.length()));
    assertEquals(ipv6 ? 41 : 4, inner.nextHeader());
    assertEquals(0, length % 4, "RFC 4303 section 2.4: the ESP packet stays 4-octet aligned");
  }

  @Property(tries = 300)
  void anyFlippedOctetIsRejected(@ForAll("suites") String suite, @ForAll boolean esn,
      @ForAll("payloads") byte[] payload, @ForAll int position, @ForAll byte flip) {
    EspFixtures.Pair pair = pair(suite, esn);
    byte[] packet = innerPacket(false, payload);
    byte[] buf = framed(packet, 0);
    OutboundSa out = pair.ours().outbound();
    int length = out.protect(buf, OutboundSa.MAX_HEADROOM, packet.length);
    int esp = OutboundSa.MAX_HEADROOM - out.headroom();
    int at = Math.floorMod(position, length);
    byte mask = flip == 0 ? 1 : flip;
    buf[esp + at] ^= mask;

    EspVerdict verdict = pair.peer().inbound().unprotect(buf, esp, length, new InnerPacket());
    if (at < 4) {
      assertEquals(EspVerdict.UNKNOWN_SPI, verdict);
    } else if (at < 8) {
      // A changed sequence number either lands outside the window or breaks the ICV.
      assertTrue(verdict == EspVerdict.REPLAYED || verdict == EspVerdict.AUTH_FAILED, verdict::name);
    } else {
      assertEquals(EspVerdict.AUTH_FAILED, verdict);
    }
  }

  @Property(tries = 100)
  void arbitraryBytesNeverPassAndNeverThrow(@ForAll("suites") String suite,
      @ForAll("payloads") byte[] garbage, @ForAll boolean ourSpi) {
    EspFixtures.Pair pair = pair(suite, false);
    if (ourSpi && garbage.length >= 4) {
      WireBytes.putInt(garbage, 0, pair.peer().inbound().spi());
    }
    EspVerdict verdict = pair.peer().inbound().unprotect(garbage, 0, garbage.length, new InnerPacket());
    assertNotEquals(EspVerdict.ACCEPTED, verdict);
  }

  @Property(tries = 100)
  void aPacketIsAcceptedOnlyOnce(@ForAll("suites") String suite, @ForAll boolean esn,
      @ForAll @IntRange(max = 1500) int size) {
    EspFixtures.Pair pair = pair(suite, esn);
    byte[] packet = innerPacket(false, new byte[size]);
    byte[] buf = framed(packet, 0);
    OutboundSa out = pair.ours().outbound();
    int length = out.protect(buf, OutboundSa.MAX_HEADROOM, packet.length);
    int esp = OutboundSa.MAX_HEADROOM - out.headroom();
    byte[] copy = buf.clone();
    InboundSa in = pair.peer().inbound();
    assertEquals(EspVerdict.ACCEPTED, in.unprotect(buf, esp, length, new InnerPacket()));
    assertEquals(EspVerdict.REPLAYED, in.unprotect(copy, esp, length, new InnerPacket()));
  }

  @Property(tries = 50)
  void sequenceNumbersStrictlyIncrease(@ForAll("suites") String suite, @ForAll boolean esn,
      @ForAll @IntRange(min = 1, max = 40) int count) {
    OutboundSa out = pair(suite, esn).ours().outbound();
    byte[] packet = innerPacket(false, new byte[20]);
    long previous = out.lastSequence();
    for (int i = 0; i < count; i++) {
      byte[] buf = framed(packet, 0);
      out.protect(buf, OutboundSa.MAX_HEADROOM, packet.length);
      long wire = WireBytes.getInt(buf, OutboundSa.MAX_HEADROOM - out.headroom() + 4) & 0xFFFF_FFFFL;
      assertEquals(previous + 1, out.lastSequence());
      assertEquals(out.lastSequence() & 0xFFFF_FFFFL, wire);
      previous = out.lastSequence();
    }
  }
}
