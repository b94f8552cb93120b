package dev.ferry.vpn.esp.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.io.PacketBatch;
import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.nat.NatEngine;
import dev.ferry.vpn.core.nat.NatPolicy;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.net.TrafficSelector;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.Protocol;
import dev.ferry.vpn.core.sa.ChildSaKeys;
import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.core.sa.SaLifetime;
import dev.ferry.vpn.core.time.ManualScheduler;
import dev.ferry.vpn.esp.EspStats;
import dev.ferry.vpn.esp.SaLifetimeListener;
import dev.ferry.vpn.esp.SaStore;
import dev.ferry.vpn.esp.io.InMemoryTun;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Batching on both sides of the {@link DataPlane}: inbound, decrypted packets are held until the
 * burst ends or the batch is full and reach the TUN device in order with exact counters; outbound,
 * the sink is flushed once per batch. A peer data plane in the same JVM makes the ESP datagrams.
 */
class DataPlaneBatchTest {
  private static final UdpEndpoint OURS = UdpEndpoint.parse("192.0.2.1:4500");
  private static final UdpEndpoint PEERS = UdpEndpoint.parse("198.51.100.7:4500");
  private static final List<TrafficSelector> OUR_NET =
      List.of(TrafficSelector.of(IpPrefix.parse("10.1.0.0/16")));
  private static final List<TrafficSelector> PEER_NET =
      List.of(TrafficSelector.of(IpPrefix.parse("10.2.0.0/16")));

  /** ESP datagrams the peer made, in order, each a copy. */
  private final List<byte[]> wire = new ArrayList<>();
  /** The transport's reused receive array. */
  private final byte[] scratch = new byte[65535];
  private InMemoryTun tun;
  private DataPlane plane;

  private static ChildSaKeys keys(int seed) {
    byte[] key = new byte[16];
    byte[] salt = new byte[4];
    Arrays.fill(key, (byte) seed);
    Arrays.fill(salt, (byte) (seed + 1));
    return new ChildSaKeys(Secret.of(key), Secret.of(salt), Secret.of(new byte[0]));
  }

  private static SaStore store() {
    ManualScheduler scheduler = new ManualScheduler();
    return new SaStore(new CryptoProvider(new SecureRandom()), scheduler, scheduler,
        SaLifetimeListener.NONE, new EspStats());
  }

  /** Our CHILD SA (inbound SPI 0x100, outbound 0x200) and the peer's mirror of it. */
  private static ChildSaSpec spec(boolean ours) {
    Proposal proposal = Proposal.parse("aes128gcm16-noesn", Protocol.ESP);
    SaLifetime life = SaLifetime.ofTime(Duration.ofHours(1), Duration.ofMinutes(5));
    return ours
        ? new ChildSaSpec("ours", 0x100, 0x200, proposal, keys(1), keys(2), OUR_NET, PEER_NET,
            OURS, PEERS, true, life, 1024)
        : new ChildSaSpec("peer", 0x200, 0x100, proposal, keys(2), keys(1), PEER_NET, OUR_NET,
            PEERS, OURS, true, life, 1024);
  }

  /**
   * Lets the peer encrypt {@code packets} and opens the data plane under test with inbound batches
   * of {@code batchSize} on a TUN device (MTU 1500) whose queue holds {@code queueCapacity}.
   */
  private void open(List<byte[]> packets, int batchSize, int queueCapacity) {
    wire.clear();
    peerSends(packets);
    SaStore store = store();
    store.installInbound(spec(true));
    store.installOutbound(spec(true));
    tun = new InMemoryTun(1500, 8, queueCapacity);
    plane = DataPlane.create(tun, store, new NatEngine(NatPolicy.NONE), (l, r, b, o, n) -> { },
        DataPlaneOptions.DEFAULTS.withBatchSize(batchSize));
  }

  /** Encrypts {@code packets} as the peer would, into {@link #wire}. */
  private void peerSends(List<byte[]> packets) {
    SaStore store = store();
    store.installInbound(spec(false));
    store.installOutbound(spec(false));
    DataPlane peer = DataPlane.create(new InMemoryTun(9000, 8, 8), store,
        new NatEngine(NatPolicy.NONE),
        (l, r, buf, off, len) -> wire.add(Arrays.copyOfRange(buf, off, off + len)),
        DataPlaneOptions.DEFAULTS);
    PacketBatch batch = PacketBatch.forMtu(1, 9000);
    for (byte[] packet : packets) {
      batch.put(0, packet, 0, packet.length);
      peer.processOutbound(batch, 1);
    }
    assertEquals(packets.size(), wire.size(), "the peer sent every packet");
  }

  /** An IPv4 packet from the peer's net to ours. */
  private static byte[] packet(int index, int length) {
    return Ipv4Packets.packet("10.2.0.9", "10.1.0.5", index, length);
  }

  private static List<byte[]> packets(int count) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(packet(i, 40 + i * 7 % 1400));
    }
    return out;
  }

  /** Hands wire datagram {@code i} to the plane the way a transport does: from a scratch array. */
  private void receive(int i) {
    byte[] datagram = wire.get(i);
    System.arraycopy(datagram, 0, scratch, 3, datagram.length);
    plane.onEspDatagram(OURS, PEERS, scratch, 3, datagram.length);
    Arrays.fill(scratch, (byte) 0x5A); // the plane must have copied what it keeps
  }

  private void assertDelivered(List<byte[]> expected) throws Exception {
    for (byte[] packet : expected) {
      assertArrayEquals(packet, tun.takeWritten(Duration.ZERO));
    }
    assertNull(tun.takeWritten(Duration.ZERO));
  }

  @Test
  void decryptedPacketsWaitForTheEndOfTheBurst_thenArriveInOrder() throws Exception {
    List<byte[]> packets = packets(5);
    open(packets, 8, 64);

    for (int i = 0; i < 5; i++) {
      receive(i);
    }
    assertEquals(0, tun.pendingWrites());
    assertEquals(0, plane.stats().delivered());
    plane.endOfBurst();
    plane.endOfBurst(); // nothing held: no write, no count

    assertEquals(5, plane.stats().delivered());
    assertDelivered(packets);
  }

  @Test
  void aFullBatchIsWrittenWithoutWaitingForTheBurstToEnd() throws Exception {
    List<byte[]> packets = packets(10);
    open(packets, 4, 64);

    for (int i = 0; i < 10; i++) {
      receive(i);
      assertEquals((i + 1) / 4 * 4, tun.pendingWrites(), "after datagram " + i);
    }
    plane.endOfBurst();

    assertEquals(10, plane.stats().delivered());
    assertDelivered(packets);
  }

  @Test
  void aPacketLongerThanTheTunMtuGoesAloneAfterThoseHeldBeforeIt() throws Exception {
    List<byte[]> packets = List.of(packet(0, 100), packet(1, 200), packet(2, 1800), packet(3, 60));
    open(packets, 8, 64);

    for (int i = 0; i < 3; i++) {
      receive(i);
    }
    assertEquals(2, tun.pendingWrites(), "the two held before it were written first");
    receive(3);
    plane.endOfBurst();

    assertEquals(3, plane.stats().delivered());
    assertEquals(1, plane.stats().dropped(DataPlaneDrop.TUN_REFUSED), "InMemoryTun keeps the MTU");
    assertDelivered(List.of(packets.get(0), packets.get(1), packets.get(3)));
  }

  @Test
  void aTunClosedWhilePacketsAreHeldCountsThemRefusedAndNeverThrows() {
    List<byte[]> packets = packets(4);
    open(packets, 8, 64);

    receive(0);
    receive(1);
    receive(2);
    tun.close();
    plane.endOfBurst();
    receive(3);
    plane.close(); // writes what is held (to a closed device) before closing

    assertEquals(0, plane.stats().delivered());
    assertEquals(4, plane.stats().dropped(DataPlaneDrop.TUN_REFUSED));
  }

  /**
   * For any interleaving of datagrams and burst ends, any batch size and a TUN queue that may fill
   * up: nothing reaches the device before its burst ends or its batch fills, everything the device
   * took is in arrival order, and delivered plus refused equals what ESP accepted.
   */
  @Property(tries = 40)
  void heldUntilBurstEndOrCapacity_inOrder_countedExactly(
      @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 3) Integer> events,
      @ForAll @IntRange(min = 1, max = 8) int batchSize,
      @ForAll @IntRange(min = 1, max = 40) int queueCapacity) throws Exception {
    List<byte[]> packets = packets(events.size());
    open(packets, batchSize, queueCapacity);

    int received = 0;
    int held = 0;
    int written = 0; // what the model says the data plane has offered the device so far
    for (int event : events) {
      if (event == 0) { // 0 ends the burst; 1..3 are datagrams
        written += held;
        held = 0;
        plane.endOfBurst();
      } else {
        receive(received++);
        if (++held == batchSize) {
          written += held;
          held = 0;
        }
      }
      assertEquals(Math.min(written, queueCapacity), tun.pendingWrites());
    }
    plane.endOfBurst();

    long delivered = plane.stats().delivered();
    assertEquals(Math.min(received, queueCapacity), delivered);
    assertEquals(received, delivered + plane.stats().dropped(DataPlaneDrop.TUN_REFUSED));
    assertDelivered(packets.subList(0, (int) delivered));
  }

  @Test
  void theSinkIsFlushedOncePerOutboundBatch_afterItsDatagrams() {
    List<String> calls = new ArrayList<>();
    EspDatagramSink recording = new EspDatagramSink() {
      @Override
      public void send(UdpEndpoint local, UdpEndpoint remote, byte[] buf, int off, int len) {
        calls.add("send");
      }

      @Override
      public void flush() {
        calls.add("flush");
      }
    };
    SaStore store = store();
    store.installInbound(spec(false));
    store.installOutbound(spec(false));
    DataPlane peer = DataPlane.create(new InMemoryTun(1500, 8, 8), store,
        new NatEngine(NatPolicy.NONE), recording, DataPlaneOptions.DEFAULTS);
    PacketBatch batch = PacketBatch.forMtu(3, 1500);
    for (int i = 0; i < 3; i++) {
      byte[] p = packet(i, 100);
      batch.put(i, p, 0, p.length);
    }

    peer.processOutbound(batch, 3);
    peer.processOutbound(batch, 0);

    assertEquals(List.of("send", "send", "send", "flush", "flush"), calls);
  }
}
