package dev.ferry.vpn.ike.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The shared RFC 3948 demultiplexing rules, fed directly. */
class DatagramDemultiplexerTest {

  private static final UdpEndpoint LOCAL = UdpEndpoint.parse("192.0.2.1:4500");
  private static final UdpEndpoint REMOTE = UdpEndpoint.parse("198.51.100.7:4500");

  /** A demultiplexer with recording handlers; fresh per check (jqwik reuses the test instance). */
  private static final class Harness {
    final List<byte[]> ike = new ArrayList<>();
    final List<byte[]> esp = new ArrayList<>();
    final TransportCounters counters = new TransportCounters();
    final DatagramDemultiplexer demux =
        new DatagramDemultiplexer(
            (l, r, m) -> ike.add(m),
            (l, r, b, off, len) -> esp.add(java.util.Arrays.copyOfRange(b, off, off + len)),
            counters);
  }

  @Provide
  Arbitrary<byte[]> datagrams() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(80);
    Arbitrary<byte[]> marked =
        random.map(
            b -> {
              byte[] out = new byte[4 + b.length];
              System.arraycopy(b, 0, out, 4, b.length);
              return out;
            });
    Arbitrary<byte[]> wellFramed =
        Arbitraries.integers().between(32, 80).map(n -> Datagrams.ikeMessage(n, n));
    return Arbitraries.oneOf(
        random, marked, wellFramed, Arbitraries.just(new byte[] {(byte) 0xFF}));
  }

  @Property(tries = 300)
  void everyDatagramIsDeliveredOrCountedExactlyOnceAndNothingThrows(
      @ForAll("datagrams") byte[] datagram, @ForAll PortRole role, @ForAll("offsets") int before) {
    Harness h = new Harness();
    byte[] buf = Datagrams.padded(datagram, before, 3);
    h.demux.dispatch(new LocalSocket(LOCAL, role), REMOTE, buf, before, datagram.length);
    TransportStats s = h.counters.snapshot();
    assertEquals(1, s.ikeReceived() + s.espReceived() + s.keepalivesReceived() + s.droppedTotal());
    assertEquals(s.ikeReceived(), h.ike.size());
    assertEquals(s.espReceived(), h.esp.size());
  }

  @Provide
  Arbitrary<Integer> offsets() {
    return Arbitraries.integers().between(0, 5);
  }

  @Property
  void anIkeMessageFramedForARoleComesBackUnchanged(
      @ForAll("lengths") int length, @ForAll PortRole role) {
    byte[] message = Datagrams.ikeMessage(length, length);
    int prefix = DatagramDemultiplexer.ikePrefixLength(role);
    byte[] wire = new byte[prefix + length];
    System.arraycopy(message, 0, wire, prefix, length);
    Harness h = new Harness();
    h.demux.dispatch(new LocalSocket(LOCAL, role), REMOTE, wire, 0, wire.length);
    assertEquals(1, h.ike.size());
    assertArrayEquals(message, h.ike.get(0));
  }

  @Provide
  Arbitrary<Integer> lengths() {
    return Arbitraries.integers().between(32, 2000);
  }

  @Test
  void theKeepaliveIsOnlyRecognisedOnTheNatTraversalPort() {
    Harness h = new Harness();
    byte[] keepalive = {(byte) 0xFF};
    h.demux.dispatch(new LocalSocket(LOCAL, PortRole.NAT_TRAVERSAL), REMOTE, keepalive, 0, 1);
    h.demux.dispatch(new LocalSocket(LOCAL, PortRole.IKE), REMOTE, keepalive, 0, 1);
    assertEquals(1, h.counters.snapshot().keepalivesReceived());
    assertEquals(1, h.counters.snapshot().dropped(DropReason.TOO_SHORT));
  }

  @Test
  void aThrowingHandlerIsCountedAndContained() {
    TransportCounters counters = new TransportCounters();
    DatagramDemultiplexer failing =
        new DatagramDemultiplexer(
            (l, r, m) -> {
              throw new IllegalStateException("boom");
            },
            (l, r, b, off, len) -> {
              throw new IllegalStateException("boom");
            },
            counters);
    failing.dispatch(
        new LocalSocket(LOCAL, PortRole.IKE), REMOTE, Datagrams.ikeMessage(1, 40), 0, 40);
    failing.dispatch(
        new LocalSocket(LOCAL, PortRole.NAT_TRAVERSAL), REMOTE, Datagrams.esp(3, 10), 0, 18);
    assertEquals(2, counters.snapshot().dropped(DropReason.HANDLER_FAILED));
    assertEquals(0, counters.snapshot().ikeReceived() + counters.snapshot().espReceived());
  }

  @Test
  void valuesRejectBadInput() {
    IpAddress v4 = IpAddress.parse("192.0.2.1");
    assertThrows(IllegalArgumentException.class, () -> new IkeListenConfig(List.of(), 500, 4500));
    assertThrows(
        IllegalArgumentException.class, () -> new IkeListenConfig(List.of(v4, v4), 500, 4500));
    assertThrows(
        IllegalArgumentException.class, () -> new IkeListenConfig(List.of(v4), 4500, 4500));
    assertThrows(
        IllegalArgumentException.class, () -> new IkeListenConfig(List.of(v4), 500, 70000));
    assertEquals(4500, IkeListenConfig.standard(v4).natTraversalPort());
    assertThrows(
        IllegalArgumentException.class,
        () -> new NettyTransportOptions(0, java.time.Duration.ZERO, true, 65535));
    assertThrows(
        IllegalArgumentException.class,
        () -> new NettyTransportOptions(1, java.time.Duration.ZERO, true, 500));
  }
}
