package dev.ferry.vpn.esp;

import static dev.ferry.vpn.esp.EspFixtures.framed;
import static dev.ferry.vpn.esp.EspFixtures.innerPacket;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.core.sa.SaLifetime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EspSaTest {

  /** Records lifetime events. */
  static final class Events implements SaLifetimeListener {
    final List<String> seen = new ArrayList<>();

    @Override
    public synchronized void softLimitReached(ChildSaSpec sa, LifetimeLimit limit) {
      seen.add("soft " + limit);
    }

    @Override
    public synchronized void hardLimitReached(ChildSaSpec sa, LifetimeLimit limit) {
      seen.add("hard " + limit);
    }
  }

  /** Protects {@code packet} with our SA and returns the ESP packet's bytes. */
  private static byte[] send(EspFixtures.Pair pair, byte[] packet) {
    byte[] buf = framed(packet, 0);
    OutboundSa out = pair.ours().outbound();
    int length = out.protect(buf, OutboundSa.MAX_HEADROOM, packet.length);
    assertTrue(length > 0, () -> OutboundDrop.of(length).name());
    int esp = OutboundSa.MAX_HEADROOM - out.headroom();
    return Arrays.copyOfRange(buf, esp, esp + length);
  }

  private static EspVerdict receive(EspFixtures.Pair pair, byte[] esp) {
    return pair.peer().inbound().unprotect(esp, 0, esp.length, new InnerPacket());
  }

  @Test
  void dummyPacketsAuthenticateAndAreDropped() {
    EspFixtures.Pair pair = EspFixtures.pair("aes128gcm16", false);
    byte[] filler = new byte[40];
    byte[] buf = framed(filler, 0);
    OutboundSa out = pair.ours().outbound();
    int length = out.protectDummy(buf, OutboundSa.MAX_HEADROOM, filler.length);
    int esp = OutboundSa.MAX_HEADROOM - out.headroom();
    assertEquals(EspVerdict.DUMMY_DROPPED,
        pair.peer().inbound().unprotect(buf, esp, length, new InnerPacket()));
    assertEquals(1, pair.peerStats().inbound(EspVerdict.DUMMY_DROPPED));
    assertEquals(1, pair.peer().inbound().highestSequence(), "dummies still move the window");
  }

  @Test
  void innerAddressesOutsideTheSelectorsAreAPolicyMismatch() {
    EspFixtures.Pair pair = EspFixtures.pair("chacha20poly1305", false);
    byte[] spoofed = TestIpPackets.packet("10.9.9.9", "10.2.3.4", new byte[10]);
    assertEquals(EspVerdict.POLICY_MISMATCH, receive(pair, send(pair, spoofed)));
    byte[] wrongDestination = TestIpPackets.packet("10.1.2.3", "10.3.0.1", new byte[10]);
    assertEquals(EspVerdict.POLICY_MISMATCH, receive(pair, send(pair, wrongDestination)));
    assertEquals(2, pair.peerStats().inbound(EspVerdict.POLICY_MISMATCH));
  }

  @Test
  void tfcPaddingIsRemovedByTheInnerLength() {
    EspFixtures.Pair pair = EspFixtures.pair("aes256gcm16", true);
    byte[] packet = innerPacket(true, new byte[33]);
    byte[] buf = framed(packet, 200);
    OutboundSa out = pair.ours().outbound();
    int length = out.protect(buf, OutboundSa.MAX_HEADROOM, packet.length, 200);
    InnerPacket inner = new InnerPacket();
    assertEquals(EspVerdict.ACCEPTED, pair.peer().inbound()
        .unprotect(buf, OutboundSa.MAX_HEADROOM - out.headroom(), length, inner));
    assertArrayEquals(packet, Arrays.copyOfRange(buf, inner.offset(), inner.offset() + inner.length()));
  }

  @Test
  void wrongPaddingBytesAreMalformedEvenWhenAuthentic() {
    EspFixtures.Pair pair = EspFixtures.pair("aes128gcm16", false);
    byte[] packet = innerPacket(false, new byte[1]); // 21 octets: padding 1 to reach 24
    byte[] buf = framed(packet, 0);
    int esp = OutboundSa.MAX_HEADROOM - 16;
    WireBytes.putInt(buf, esp, pair.ours().outbound().spi());
    WireBytes.putInt(buf, esp + 4, 1);
    int end = OutboundSa.MAX_HEADROOM + packet.length;
    buf[end] = 7; // RFC 4303 section 2.4 wants 1
    buf[end + 1] = 1;
    buf[end + 2] = 4;
    EspCipher cipher = new EspCipherFactory(EspFixtures.crypto(1), pair.ours().spec().proposal(),
        pair.ours().spec().outboundKeys(), false).create();
    cipher.seal(buf, esp, packet.length + 3, 1);
    assertEquals(EspVerdict.MALFORMED, pair.peer().inbound()
        .unprotect(buf, esp, 16 + packet.length + 3 + 16, new InnerPacket()));
  }

  @Test
  void truncatedAndMisalignedPacketsAreMalformed() {
    EspFixtures.Pair pair = EspFixtures.pair("aes128-sha256", false);
    byte[] esp = send(pair, innerPacket(false, new byte[100]));
    assertEquals(EspVerdict.MALFORMED,
        pair.peer().inbound().unprotect(esp, 0, esp.length - 1, new InnerPacket()));
    assertEquals(EspVerdict.MALFORMED, pair.peer().inbound().unprotect(esp, 0, 7, new InnerPacket()));
    assertEquals(EspVerdict.ACCEPTED, receive(pair, esp), "a rejected packet changes nothing");
  }

  @Test
  void outboundSequenceRefusesToWrapWithoutEsn() {
    Events events = new Events();
    EspFixtures.Pair pair = EspFixtures.pair(
        EspFixtures.spec("aes128gcm16", false, 11, 22, 5, EspFixtures.LONG_LIFE, 64), events,
        0xFFFF_FFFEL);
    pair.peer().inbound().window().commit(0xFFFF_FFF0L);
    assertEquals(EspVerdict.ACCEPTED, receive(pair, send(pair, innerPacket(false, new byte[8]))));
    assertEquals(0xFFFF_FFFFL, pair.ours().outbound().lastSequence());
    byte[] packet = innerPacket(false, new byte[8]);
    byte[] buf = framed(packet, 0);
    int result = pair.ours().outbound().protect(buf, OutboundSa.MAX_HEADROOM, packet.length);
    assertEquals(OutboundDrop.SEQUENCE_EXHAUSTED, OutboundDrop.of(result));
    assertEquals(0xFFFF_FFFFL, pair.ours().outbound().lastSequence());
    assertTrue(events.seen.contains("hard SEQUENCE"));
    assertEquals(OutboundDrop.SA_EXPIRED, OutboundDrop.of(
        pair.ours().outbound().protect(buf, OutboundSa.MAX_HEADROOM, packet.length)));
  }

  @Test
  void extendedSequenceNumbersCrossTheLow32BitBoundary() {
    for (String suite : List.of("aes128gcm16", "aes128-sha256")) {
      EspFixtures.Pair pair = EspFixtures.pair(
          EspFixtures.spec(suite, true, 11, 22, 5, EspFixtures.LONG_LIFE, 1024),
          SaLifetimeListener.NONE, 0xFFFF_FFFDL);
      pair.peer().inbound().window().commit(0xFFFF_FFF0L);
      for (int i = 0; i < 5; i++) {
        assertEquals(EspVerdict.ACCEPTED, receive(pair, send(pair, innerPacket(false, new byte[i]))));
      }
      assertEquals(0x1_0000_0002L, pair.peer().inbound().highestSequence(), suite);
    }
  }

  @Test
  void esnHighBitsEnterTheIcv() {
    // A receiver that infers the wrong high half (its window sits one block earlier) must fail
    // authentication rather than accept (RFC 4303 section 2.2.1).
    EspFixtures.Pair pair = EspFixtures.pair(
        EspFixtures.spec("aes128-sha1", true, 11, 22, 5, EspFixtures.LONG_LIFE, 1024),
        SaLifetimeListener.NONE, 0x1_0000_0010L);
    assertEquals(EspVerdict.AUTH_FAILED, receive(pair, send(pair, innerPacket(false, new byte[3]))));
  }

  @Test
  void packetAndByteLimitsSignalSoftThenHard() {
    Events events = new Events();
    SaLifetime lifetime = new SaLifetime(Duration.ofHours(1), Duration.ofHours(2), 0, 0, 3, 5);
    EspFixtures.Pair pair = EspFixtures.pair(
        EspFixtures.spec("aes128gcm16", false, 11, 22, 5, lifetime, 64), events, 0);
    for (int i = 0; i < 5; i++) {
      receive(pair, send(pair, innerPacket(false, new byte[10])));
    }
    assertEquals(List.of("soft PACKETS", "hard PACKETS"), events.seen);
    assertTrue(pair.ours().isExpired());
    byte[] packet = innerPacket(false, new byte[10]);
    assertEquals(OutboundDrop.SA_EXPIRED, OutboundDrop.of(
        pair.ours().outbound().protect(framed(packet, 0), OutboundSa.MAX_HEADROOM, packet.length)));
    assertEquals(5, pair.ours().counters().outboundPackets());
    assertEquals(5 * 30, pair.ours().counters().outboundBytes());

    Events byteEvents = new Events();
    SaLifetime bytes = new SaLifetime(Duration.ofHours(1), Duration.ofHours(2), 100, 1000, 0, 0);
    EspFixtures.Pair byBytes = EspFixtures.pair(
        EspFixtures.spec("aes128gcm16", false, 11, 22, 5, bytes, 64), byteEvents, 0);
    for (int i = 0; i < 10; i++) {
      receive(byBytes, send(byBytes, innerPacket(false, new byte[80])));
    }
    assertEquals(List.of("soft BYTES", "hard BYTES"), byteEvents.seen);
    assertTrue(byBytes.ours().isExpired());
    // The peer's inbound half counted the same octets and stopped as well.
    assertTrue(byBytes.peer().isExpired());
    byte[] late = new byte[64];
    WireBytes.putInt(late, 0, byBytes.peer().inbound().spi());
    assertEquals(EspVerdict.SA_EXPIRED, receive(byBytes, late));
  }

  @Test
  void inboundCountersFollowAcceptedTraffic() {
    EspFixtures.Pair pair = EspFixtures.pair("aes128gcm16", false);
    receive(pair, send(pair, innerPacket(false, new byte[100])));
    assertEquals(1, pair.peer().counters().inboundPackets());
    assertTrue(pair.peer().counters().inboundBytes() >= 120);
    assertTrue(pair.peer().counters().lastInbound().isPresent());
  }

  @Test
  void missingRoomIsACallerBug() {
    EspFixtures.Pair pair = EspFixtures.pair("aes128gcm16", false);
    byte[] packet = innerPacket(false, new byte[10]);
    assertThrows(IllegalArgumentException.class,
        () -> pair.ours().outbound().protect(packet, 0, packet.length));
  }

  @Test
  void nonIpPayloadIsRefusedAndCounted() {
    EspFixtures.Pair pair = EspFixtures.pair("aes128gcm16", false);
    byte[] buf = framed(new byte[10], 0);
    assertEquals(OutboundDrop.NOT_IP,
        OutboundDrop.of(pair.ours().outbound().protect(buf, OutboundSa.MAX_HEADROOM, 10)));
    assertEquals(1, pair.ourStats().outbound(OutboundDrop.NOT_IP));
  }
}
