package dev.ferry.vpn.ike.transport;

import static dev.ferry.vpn.ike.transport.InnerPackets.assertChecksumsValid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.nat.NatPolicy;
import dev.ferry.vpn.core.nat.NatRule;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.packet.IpPacketView;
import dev.ferry.vpn.esp.EspVerdict;
import dev.ferry.vpn.esp.pipeline.DataPlane;
import dev.ferry.vpn.esp.pipeline.DataPlaneDrop;
import dev.ferry.vpn.esp.pipeline.DataPlaneOptions;
import dev.ferry.vpn.esp.pipeline.TunnelMtu;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Two data planes back to back over the loopback network: forwarding, NAT, PMTU, MSS, drops. */
class DataPlaneLoopbackTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Duration NONE = Duration.ofMillis(50);

  private static byte[] tcp(String source, String destination, boolean dontFragment,
      int payload) {
    return InnerPackets.packet(source, destination, InnerPackets.TCP, dontFragment, new byte[0],
        new byte[payload]);
  }

  private static void awaitCount(long expected, java.util.function.LongSupplier counter)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (counter.getAsLong() != expected && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertEquals(expected, counter.getAsLong());
  }

  @Test
  void ipv4AndIpv6PacketsCrossUnchangedBothWaysWithRunningWorkers() throws Exception {
    try (TunnelPair pair = TunnelPair.plain(DataPlaneOptions.DEFAULTS, 1438, true)) {
      pair.install(0x0A00_0001, 0x0B00_0001, 1);
      List<byte[]> toB = List.of(
          InnerPackets.udp("10.1.0.5", "10.2.0.9", false, 100),
          tcp("10.1.0.5", "10.2.0.9", false, 1398),
          InnerPackets.packet("fd01::5", "fd02::9", InnerPackets.ICMPV6, false, new byte[0],
              new byte[56]),
          InnerPackets.udp("fd01::5", "fd02::9", false, 1390));
      for (byte[] p : toB) {
        assertTrue(pair.a.tun().inject(p));
        assertArrayEquals(p, pair.b.tun().takeWritten(WAIT));
      }
      byte[] back = tcp("fd02::9", "fd01::5", false, 0);
      assertTrue(pair.b.tun().inject(back));
      assertArrayEquals(back, pair.a.tun().takeWritten(WAIT));
      assertEquals(toB.size(), pair.a.plane().stats().sent());
      // The receiving thread counts right after the TUN write the test has already seen.
      awaitCount(toB.size(), () -> pair.b.plane().stats().delivered());
      awaitCount(1, () -> pair.a.plane().stats().delivered());
    }
  }

  /**
   * docs/nat.md, the seeds' overlapping 10.0.1.0/24: the cluster (A) maps its 10.0.1.0/27 to
   * 192.168.2.0/27 and sees on-premises 10.0.1.0/24 (B) as 192.168.1.0/24; the selectors name
   * the addresses on the wire.
   */
  private static TunnelPair seedsPair(int tunMtu) {
    NatPolicy cluster = new NatPolicy(List.of(NatRule.parse("10.0.1.0/27=192.168.2.0/27")),
        List.of(NatRule.parse("10.0.1.0/24=192.168.1.0/24")));
    return TunnelPair.open(TunnelPair.SUITE, cluster, TunnelPair.selectors("192.168.2.0/27"),
        NatPolicy.NONE, TunnelPair.selectors("10.0.1.0/24"), DataPlaneOptions.DEFAULTS, tunMtu,
        false);
  }

  @Test
  void seedsBidirectionalNatTranslatesBothWaysWithValidChecksums() throws Exception {
    try (TunnelPair pair = seedsPair(1438)) {
      pair.install(0x0A00_0002, 0x0B00_0002, 2);
      pair.a.send(tcp("10.0.1.5", "192.168.1.7", false, 64));
      IpPacketView atB = assertChecksumsValid(pair.b.tun().takeWritten(WAIT));
      assertEquals(IpAddress.parse("192.168.2.5"), atB.sourceAddress());
      assertEquals(IpAddress.parse("10.0.1.7"), atB.destinationAddress());

      pair.b.send(tcp("10.0.1.7", "192.168.2.5", false, 0));
      IpPacketView atA = assertChecksumsValid(pair.a.tun().takeWritten(WAIT));
      assertEquals(IpAddress.parse("192.168.1.7"), atA.sourceAddress());
      assertEquals(IpAddress.parse("10.0.1.5"), atA.destinationAddress());

      // Outside the translated selectors: no SA covers it, counted, not sent.
      pair.a.send(InnerPackets.udp("10.0.1.200", "192.168.1.7", false, 0));
      assertEquals(1, pair.a.plane().stats().dropped(DataPlaneDrop.NO_POLICY));
      assertNull(pair.b.tun().takeWritten(NONE));
    }
  }

  @Test
  void oversizedIpv4WithDfGetsFragmentationNeededWithTheTunnelMtu() throws Exception {
    try (TunnelPair pair = TunnelPair.plain(DataPlaneOptions.DEFAULTS, 9000, false)) {
      pair.install(0x0A00_0003, 0x0B00_0003, 3);
      int tunnelMtu = TunnelMtu.tunMtu(1500, IpFamily.IPV4, pair.proposal);
      byte[] fits = InnerPackets.udp("10.1.0.5", "10.2.0.9", true, tunnelMtu - 28);
      pair.a.send(fits);
      assertArrayEquals(fits, pair.b.tun().takeWritten(WAIT));

      byte[] big = InnerPackets.udp("10.1.0.5", "10.2.0.9", true, tunnelMtu - 27);
      pair.a.send(big);
      assertNull(pair.b.tun().takeWritten(NONE));
      byte[] error = pair.a.tun().takeWritten(WAIT);
      assertNotNull(error);
      IpPacketView icmp = assertChecksumsValid(error);
      assertEquals(IpAddress.parse("10.2.0.9"), icmp.sourceAddress());
      assertEquals(IpAddress.parse("10.1.0.5"), icmp.destinationAddress());
      assertEquals(3, icmp.icmpType());
      assertEquals(4, icmp.icmpCode());
      int at = icmp.upperLayerOffset();
      // RFC 1191 section 4: next-hop MTU in octets 6-7 of the ICMP header.
      assertEquals(tunnelMtu, (error[at + 6] & 0xFF) << 8 | (error[at + 7] & 0xFF));
      // RFC 1812 section 4.3.2.3: as much of the packet as fits in 576 octets.
      assertEquals(576, error.length);
      byte[] quoted = java.util.Arrays.copyOfRange(error, at + 8, error.length);
      assertArrayEquals(java.util.Arrays.copyOf(big, quoted.length), quoted);
      assertEquals(1, pair.a.plane().stats().dropped(DataPlaneDrop.PACKET_TOO_BIG));
      assertEquals(1, pair.a.plane().stats().icmpErrors());
    }
  }

  @Test
  void oversizedIpv4WithoutDfIsSentForOuterFragmentation() throws Exception {
    try (TunnelPair pair = TunnelPair.plain(DataPlaneOptions.DEFAULTS, 9000, false)) {
      pair.install(0x0A00_0004, 0x0B00_0004, 4);
      byte[] big = InnerPackets.udp("10.1.0.5", "10.2.0.9", false, 3000);
      pair.a.send(big);
      assertArrayEquals(big, pair.b.tun().takeWritten(WAIT));
      assertEquals(1, pair.a.plane().stats().outerFragmented());
      assertNull(pair.a.tun().takeWritten(NONE));
    }
  }

  @Test
  void oversizedIpv6GetsPacketTooBigButPacketsWithin1280AlwaysPass() throws Exception {
    // A 1300-octet outer path leaves 1238 octets for AES-GCM-16: below the IPv6 minimum.
    DataPlaneOptions narrow = DataPlaneOptions.DEFAULTS.withOuterMtu(1300);
    try (TunnelPair pair = TunnelPair.plain(narrow, 9000, false)) {
      pair.install(0x0A00_0005, 0x0B00_0005, 5);
      byte[] minimum = InnerPackets.udp("fd01::5", "fd02::9", false, 1280 - 48);
      pair.a.send(minimum);
      assertArrayEquals(minimum, pair.b.tun().takeWritten(WAIT));
      assertEquals(1, pair.a.plane().stats().outerFragmented());

      byte[] big = InnerPackets.udp("fd01::5", "fd02::9", false, 1281 - 48);
      pair.a.send(big);
      assertNull(pair.b.tun().takeWritten(NONE));
      byte[] error = pair.a.tun().takeWritten(WAIT);
      IpPacketView icmp = assertChecksumsValid(error);
      assertEquals(IpAddress.parse("fd02::9"), icmp.sourceAddress());
      assertEquals(IpAddress.parse("fd01::5"), icmp.destinationAddress());
      assertEquals(2, icmp.icmpType());
      int at = icmp.upperLayerOffset();
      // RFC 8201 section 4: never report less than 1280.
      assertEquals(1280, java.nio.ByteBuffer.wrap(error, at + 4, 4).getInt());
      // RFC 4443 section 2.4 (c): the error stays within the minimum MTU.
      assertEquals(1280, error.length);
    }
  }

  @Test
  void packetTooBigForTheTunnelIsReportedAtTheTunnelMtuOverIpv6() throws Exception {
    try (TunnelPair pair = TunnelPair.plain(DataPlaneOptions.DEFAULTS, 9000, false)) {
      pair.install(0x0A00_0006, 0x0B00_0006, 6);
      pair.a.send(tcp("fd01::5", "fd02::9", false, 2000));
      byte[] error = pair.a.tun().takeWritten(WAIT);
      IpPacketView icmp = assertChecksumsValid(error);
      assertEquals(TunnelMtu.tunMtu(1500, IpFamily.IPV4, pair.proposal),
          java.nio.ByteBuffer.wrap(error, icmp.upperLayerOffset() + 4, 4).getInt());
    }
  }

  @Test
  void icmpErrorsAboutNattedPacketsNameThePacketAsTheSenderWroteIt() throws Exception {
    try (TunnelPair pair = seedsPair(9000)) {
      pair.install(0x0A00_0007, 0x0B00_0007, 7);
      byte[] big = tcp("10.0.1.5", "192.168.1.7", true, 1600);
      pair.a.send(big);
      byte[] icmpBytes = pair.a.tun().takeWritten(WAIT);
      IpPacketView icmp = assertChecksumsValid(icmpBytes);
      assertEquals(IpAddress.parse("192.168.1.7"), icmp.sourceAddress());
      assertEquals(IpAddress.parse("10.0.1.5"), icmp.destinationAddress());
      IpPacketView embedded = icmp.embedded();
      assertEquals(IpAddress.parse("10.0.1.5"), embedded.sourceAddress());
      assertEquals(IpAddress.parse("192.168.1.7"), embedded.destinationAddress());
      InnerPackets.assertIpv4HeaderChecksumValid(icmpBytes, 28);
    }
  }

  @Test
  void mssClampingLowersSynsBothWaysAndKeepsChecksumsRight() throws Exception {
    // Only A clamps: it lowers what it sends and what it receives.
    DataPlaneOptions clamping = DataPlaneOptions.DEFAULTS.withMssClamping(true);
    try (TunnelPair pair = TunnelPair.plain(TunnelPair.SUITE, clamping,
        DataPlaneOptions.DEFAULTS, 1438, false)) {
      pair.install(0x0A00_0008, 0x0B00_0008, 8);
      int tunnelMtu = TunnelMtu.tunMtu(1500, IpFamily.IPV4, pair.proposal);
      for (int shift = 0; shift <= 3; shift++) {
        pair.a.send(InnerPackets.syn("10.1.0.5", "10.2.0.9", 1460, shift, false));
        byte[] atB = pair.b.tun().takeWritten(WAIT);
        assertChecksumsValid(atB);
        assertEquals(tunnelMtu - 40, InnerPackets.mss(atB, shift), "RFC 6691: MTU - 40");

        pair.b.send(InnerPackets.syn("fd02::9", "fd01::5", 8940, shift, true));
        byte[] atA = pair.a.tun().takeWritten(WAIT);
        assertChecksumsValid(atA);
        assertEquals(tunnelMtu - 60, InnerPackets.mss(atA, shift), "RFC 6691: MTU - 60");
      }
      byte[] small = InnerPackets.syn("10.1.0.5", "10.2.0.9", 1200, 0, false);
      pair.a.send(small);
      assertArrayEquals(small, pair.b.tun().takeWritten(WAIT));
      assertEquals(8, pair.a.plane().stats().mssClamped());
      assertEquals(0, pair.b.plane().stats().mssClamped());
    }
  }

  @Test
  void unknownSpiReplayTamperAndGarbageAreCountedNeverThrown() throws Exception {
    try (TunnelPair pair = TunnelPair.plain(DataPlaneOptions.DEFAULTS, 1438, false)) {
      pair.install(0x0A00_0009, 0x0B00_0009, 9);
      List<byte[]> captured = new ArrayList<>();
      // Keep a copy of what reaches B's socket instead, then feed B's data plane by hand.
      pair.b.link().attach((local, remote, buf, off, len) ->
          captured.add(java.util.Arrays.copyOfRange(buf, off, off + len)));
      pair.a.send(InnerPackets.udp("10.1.0.5", "10.2.0.9", false, 0));
      pair.a.send(InnerPackets.udp("10.1.0.5", "10.2.0.9", false, 1));
      assertEquals(2, captured.size());
      byte[] esp = captured.get(0);
      DataPlane b = pair.b.plane();
      UdpEndpoint local = pair.b.natTraversal();
      UdpEndpoint remote = pair.a.natTraversal();

      b.onEspDatagram(local, remote, esp.clone(), 0, esp.length);
      b.endOfBurst(); // the transport's signal: the decrypted packet goes to the TUN device now
      assertNotNull(pair.b.tun().takeWritten(WAIT));
      b.onEspDatagram(local, remote, esp.clone(), 0, esp.length);
      // A fresh sequence number with a flipped ciphertext bit fails the ICV (RFC 4303 section
      // 3.4.4) and leaves the window alone, so the genuine packet is accepted after it.
      byte[] second = captured.get(1);
      byte[] tampered = second.clone();
      tampered[tampered.length - 20] ^= 1;
      b.onEspDatagram(local, remote, tampered, 0, tampered.length);
      b.onEspDatagram(local, remote, second.clone(), 0, second.length);
      b.endOfBurst();
      assertNotNull(pair.b.tun().takeWritten(WAIT));
      byte[] unknown = esp.clone();
      unknown[0] ^= 0x40;
      b.onEspDatagram(local, remote, unknown, 0, unknown.length);
      b.onEspDatagram(local, remote, new byte[5], 0, 5);
      byte[] cut = java.util.Arrays.copyOf(esp, 21);
      b.onEspDatagram(local, remote, cut, 0, cut.length);
      b.endOfBurst();

      assertNull(pair.b.tun().takeWritten(NONE));
      assertEquals(2, pair.b.esp().inbound(EspVerdict.ACCEPTED));
      assertEquals(1, pair.b.esp().inbound(EspVerdict.REPLAYED));
      assertEquals(1, pair.b.esp().inbound(EspVerdict.AUTH_FAILED));
      assertEquals(1, pair.b.esp().inbound(EspVerdict.UNKNOWN_SPI));
      assertEquals(2, pair.b.esp().inbound(EspVerdict.MALFORMED));
      assertEquals(5, b.stats().dropped(DataPlaneDrop.INBOUND_REJECTED));
      assertEquals(2, b.stats().delivered());
    }
  }

  @Test
  void malformedTunInputAndMissingPolicyAreCounted() throws Exception {
    try (TunnelPair pair = TunnelPair.plain(DataPlaneOptions.DEFAULTS, 1438, false)) {
      byte[] lying = InnerPackets.udp("10.1.0.5", "10.2.0.9", false, 0);
      lying[3] = (byte) (lying[3] + 40); // total length beyond the bytes present
      pair.a.send(lying);
      pair.a.send(InnerPackets.udp("10.1.0.5", "10.2.0.9", false, 0));
      assertEquals(1, pair.a.plane().stats().dropped(DataPlaneDrop.OUTBOUND_MALFORMED));
      assertEquals(1, pair.a.plane().stats().dropped(DataPlaneDrop.NO_POLICY));
      assertEquals(0, pair.a.plane().stats().sent());
    }
  }

  @Test
  void rekeyUnderAStreamOfPacketsLosesNothing() throws Exception {
    int packets = 3000;
    try (TunnelPair pair = TunnelPair.plain(DataPlaneOptions.DEFAULTS, 1438, true)) {
      pair.install(0x0A00_0010, 0x0B00_0010, 10);
      Thread producer = new Thread(() -> {
        for (int i = 0; i < packets; i++) {
          byte[] p = InnerPackets.packet("10.1.0.5", "10.2.0.9", InnerPackets.UDP, false,
              new byte[0], java.nio.ByteBuffer.allocate(4).putInt(i).array());
          while (!pair.a.tun().inject(p)) {
            Thread.onSpinWait();
          }
        }
      });
      producer.start();
      Set<Integer> seen = new HashSet<>();
      boolean rekeyed = false;
      boolean removed = false;
      while (seen.size() < packets) {
        byte[] p = pair.b.tun().takeWritten(WAIT);
        assertNotNull(p, "after " + seen.size() + " packets");
        seen.add(java.nio.ByteBuffer.wrap(p, p.length - 4, 4).getInt());
        if (!rekeyed && seen.size() == packets / 3) {
          // Make-before-break: new inbound halves, then outbound; the old pair goes only once
          // the new one carries traffic, as after an IKE DELETE round trip (RFC 7296 2.8).
          pair.install(0x0A00_0011, 0x0B00_0011, 11);
          rekeyed = true;
        }
        if (rekeyed && !removed
            && pair.b.store().sa(0x0B00_0011).counters().inboundPackets() > 0) {
          pair.remove(0x0A00_0010, 0x0B00_0010);
          removed = true;
        }
      }
      producer.join();
      assertEquals(packets, seen.size());
      assertTrue(removed, "the old SA was removed during the stream");
      assertTrue(pair.b.store().sa(0x0B00_0011).counters().inboundPackets() > packets / 2);
      assertEquals(0, pair.b.plane().stats().dropped(DataPlaneDrop.INBOUND_REJECTED));
      assertEquals(0, pair.a.plane().stats().dropped(DataPlaneDrop.NO_POLICY));
    }
  }
}
