package dev.ferry.vpn.ike.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.IpAddress;
import io.netty.channel.Channel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Batched ESP on real sockets: datagrams queued by {@code sendEsp} go out at {@code flushEsp}
 * (as UDP GSO runs on epoll), arrive complete and in order through recvmmsg/GRO, with burst ends
 * signalled, while IKE on the same socket still arrives intact; NIO and epoll without offloads
 * carry the same traffic.
 */
class NettyEspBatchTest {
  private static final IpAddress V4 = IpAddress.parse("127.0.0.1");
  private static final int BURSTS = 12;

  /** What one exchange sent and how the two transports counted it. */
  private record Outcome(TransportStats sender, TransportStats receiver, boolean segmentation,
      boolean senderDirect, boolean receiverDirect) {}

  /**
   * Datagram lengths for burst {@code burst}: runs of equal lengths (GSO material, some ending in
   * a shorter one), then random lengths from 8 to 3,000 octets (some above a GSO segment).
   */
  private static List<Integer> lengths(Random random, int burst) {
    List<Integer> out = new ArrayList<>();
    int runs = 1 + random.nextInt(4);
    for (int r = 0; r < runs; r++) {
      int size = 200 + random.nextInt(1273);
      int count = 1 + random.nextInt(90);
      for (int i = 0; i < count; i++) {
        out.add(size);
      }
      if (random.nextBoolean()) {
        out.add(8 + random.nextInt(size - 8));
      }
    }
    int extra = burst % 3 == 0 ? 200 : random.nextInt(60);
    for (int i = 0; i < extra; i++) {
      out.add(8 + random.nextInt(2993));
    }
    return out;
  }

  /** An ESP-looking datagram: SPI {@code index + 1} (never 0), then octets derived from it. */
  private static byte[] esp(int index, int length) {
    ByteBuffer b = ByteBuffer.allocate(length);
    b.putInt(0, index + 1);
    b.putInt(4, index);
    for (int i = 8; i < length; i++) {
      b.put(i, (byte) (index * 7 + i));
    }
    return b.array();
  }

  private static UdpEndpoint natT(IkeUdpTransport t) {
    return t.localSockets().stream().filter(s -> s.role() == PortRole.NAT_TRAVERSAL)
        .findFirst().orElseThrow().endpoint();
  }

  /** Sends bursts from A to B, one flush per burst, with an IKE message between bursts. */
  private static Outcome exchange(NettyTransportOptions options) {
    return exchange(options, options);
  }

  /** {@link #exchange(NettyTransportOptions)} with A and B configured apart. */
  private static Outcome exchange(NettyTransportOptions optionsA, NettyTransportOptions optionsB) {
    Random random = new Random(11);
    Inbox inboxB = new Inbox();
    try (NettyIkeTransport a =
            NettyIkeTransport.open(IkeListenConfig.ephemeral(V4), optionsA, new Inbox(), null);
        NettyIkeTransport b =
            NettyIkeTransport.open(IkeListenConfig.ephemeral(V4), optionsB, inboxB, inboxB)) {
      UdpEndpoint from = natT(a);
      UdpEndpoint to = natT(b);
      int index = 0;
      for (int burst = 0; burst < BURSTS; burst++) {
        List<byte[]> sent = new ArrayList<>();
        for (int length : lengths(random, burst)) {
          byte[] esp = esp(index++, length);
          sent.add(esp);
          byte[] framed = Datagrams.padded(esp, 3, 5); // the data plane's buffers have room too
          a.sendEsp(from, to, framed, 3, esp.length);
        }
        byte[] ike = Datagrams.ikeMessage(burst, 100 + burst);
        a.send(from, to, ike);
        a.flushEsp();
        // Burst by burst, so that a receive buffer smaller than a burst loses nothing.
        List<byte[]> espReceived = new ArrayList<>();
        byte[] ikeReceived = null;
        while (espReceived.size() < sent.size() || ikeReceived == null) {
          Inbox.Received got = inboxB.take();
          if (got.kind() == Inbox.Kind.IKE) {
            ikeReceived = got.bytes();
          } else {
            espReceived.add(got.bytes());
          }
        }
        assertArrayEquals(ike, ikeReceived, "IKE between ESP bursts");
        for (int i = 0; i < sent.size(); i++) {
          assertArrayEquals(sent.get(i), espReceived.get(i), "burst " + burst + " datagram " + i);
        }
      }
      Inbox.awaitTrue("the last datagram followed by a burst end",
          () -> inboxB.espSinceBurstEnd() == 0);
      assertTrue(inboxB.burstEnds() >= BURSTS, "at least one burst end per burst");
      int total = index;
      Inbox.awaitTrue("all sends counted", () -> a.stats().espSent() == total);
      // Counted after the handler returns, so maybe just after the Inbox saw the last one.
      Inbox.awaitTrue("all receptions counted", () -> b.stats().espReceived() == total);
      assertEquals(0, a.stats().droppedTotal() + b.stats().droppedTotal());
      return new Outcome(a.stats(), b.stats(), a.usesSegmentation(), a.usesDirectEsp(),
          b.usesDirectEsp());
    }
  }

  @Test
  void onEpollRunsGoOutAsGsoSendsAndEverythingArrivesInOrder() {
    Outcome outcome = exchange(NettyTransportOptions.defaults());
    if (Epoll.isAvailable() && EpollDatagramChannel.isSegmentedDatagramPacketSupported()) {
      assertTrue(outcome.segmentation());
      assertTrue(outcome.sender().espSegmentedSends() > BURSTS, outcome.sender().toString());
      assertTrue(outcome.sender().espSegmentedDatagrams()
          >= 2 * outcome.sender().espSegmentedSends());
    }
  }

  /**
   * One GSO send reaches a GRO socket as one coalesced read; it must come out as the datagrams
   * that were sent. (Through recvmmsg, Netty 4.2.18 returned such a read as one merged datagram,
   * which is why GRO sockets read with recvmsg.)
   */
  @Test
  void aCoalescedReadComesOutAsTheDatagramsThatWereSent() {
    Inbox inboxB = new Inbox();
    try (NettyIkeTransport a =
            NettyIkeTransport.open(IkeListenConfig.ephemeral(V4), new Inbox(), null);
        NettyIkeTransport b =
            NettyIkeTransport.open(IkeListenConfig.ephemeral(V4), inboxB, inboxB)) {
      List<byte[]> sent = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        byte[] esp = esp(i, i < 5 ? 1000 : 508);
        sent.add(esp);
        a.sendEsp(natT(a), natT(b), esp, 0, esp.length);
      }
      a.flushEsp();
      for (byte[] esp : sent) {
        assertArrayEquals(esp, inboxB.take().bytes());
      }
      if (a.usesSegmentation()) {
        Inbox.awaitTrue("one GSO send", () -> a.stats().espSegmentedSends() == 1);
        assertEquals(6, a.stats().espSegmentedDatagrams());
      }
      Inbox.awaitTrue("burst end after the last", () -> inboxB.espSinceBurstEnd() == 0);
    }
  }

  /**
   * The default on epoll with JDK 22+ (the build's JDK): the NAT-traversal sockets are read by
   * the direct reader and ESP is sent with sendmsg from the caller, yet the traffic, IKE on the
   * same socket and the GSO runs are exactly those of the path through Netty; and each side talks
   * to the other kind.
   */
  @Test
  void theDirectSocketPathCarriesTheSameTrafficAsNettysAndBothInteroperate() {
    NettyTransportOptions direct = NettyTransportOptions.defaults();
    NettyTransportOptions netty = NettyTransportOptions.defaults().withDirectEsp(false);
    Outcome both = exchange(direct);
    assertTrue(both.senderDirect() && both.receiverDirect(),
        "epoll on JDK " + Runtime.version().feature() + " serves NAT-T sockets directly");
    Outcome viaNetty = exchange(netty);
    assertFalse(viaNetty.senderDirect() || viaNetty.receiverDirect());
    // Runs go out as GSO sends on both paths (Netty's staging batches may cut a run in two, so
    // the counts differ by a few).
    for (Outcome outcome : List.of(both, viaNetty)) {
      assertTrue(outcome.sender().espSegmentedSends() > BURSTS, outcome.sender().toString());
      assertTrue(outcome.sender().espSegmentedDatagrams()
          >= 2 * outcome.sender().espSegmentedSends());
    }
    Outcome directToNetty = exchange(direct, netty);
    assertTrue(directToNetty.senderDirect() && !directToNetty.receiverDirect());
    Outcome nettyToDirect = exchange(netty, direct);
    assertTrue(!nettyToDirect.senderDirect() && nettyToDirect.receiverDirect());
  }

  /**
   * Direct ESP sends do not pass through the event loop: with it blocked, every datagram still
   * leaves and arrives, while an IKE message sent meanwhile waits for the loop.
   */
  @Test
  void directEspSendsBypassABlockedEventLoop() throws Exception {
    Inbox inboxB = new Inbox();
    try (NettyIkeTransport a =
            NettyIkeTransport.open(IkeListenConfig.ephemeral(V4), new Inbox(), null);
        NettyIkeTransport b =
            NettyIkeTransport.open(IkeListenConfig.ephemeral(V4), inboxB, inboxB)) {
      assertTrue(a.usesDirectEsp());
      CountDownLatch release = new CountDownLatch(1);
      blockEventLoop(a, release::await);
      byte[] ike = Datagrams.ikeMessage(1, 120);
      a.send(natT(a), natT(b), ike);
      int sends = 3 * EspSendQueue.BATCHES;
      for (int i = 0; i < sends; i++) {
        byte[] esp = esp(i, 300);
        a.sendEsp(natT(a), natT(b), esp, 0, esp.length);
        a.flushEsp();
        assertArrayEquals(esp, inboxB.take().bytes());
      }
      assertEquals(0, a.stats().droppedTotal());
      release.countDown();
      Inbox.Received got = inboxB.take();
      assertEquals(Inbox.Kind.IKE, got.kind());
      assertArrayEquals(ike, got.bytes());
    }
  }

  @Test
  void epollWithoutOffloadsSendsSingleDatagramsWithOneFlush() {
    Outcome outcome = exchange(NettyTransportOptions.defaults().withUdpOffloads(false));
    assertFalse(outcome.segmentation());
    assertEquals(0, outcome.sender().espSegmentedSends());
  }

  @Test
  void theNioFallbackCarriesTheSameTraffic() {
    Outcome outcome = exchange(NettyTransportOptions.defaults().withNio());
    assertFalse(outcome.segmentation());
    assertEquals(0, outcome.sender().espSegmentedSends());
  }

  @Test
  void whenTheEventLoopStaysStuck_theProducerWaitsABoundedTimeThenDropsAndCounts()
      throws Exception {
    Inbox inboxB = new Inbox();
    try (NettyIkeTransport a = NettyIkeTransport.open(IkeListenConfig.ephemeral(V4),
            NettyTransportOptions.defaults().withDirectEsp(false), new Inbox(), null);
        NettyIkeTransport b =
            NettyIkeTransport.open(IkeListenConfig.ephemeral(V4), inboxB, inboxB)) {
      CountDownLatch release = new CountDownLatch(1);
      blockEventLoop(a, release::await);
      byte[] esp = esp(1, 100);
      int batches = EspSendQueue.BATCHES;
      long start = System.nanoTime();
      for (int i = 0; i < batches + 3; i++) { // one datagram and one hand-over per flush
        a.sendEsp(natT(a), natT(b), esp, 0, esp.length);
        a.flushEsp();
      }
      long waitedMillis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(3, a.stats().dropped(DropReason.SEND_QUEUE_FULL));
      assertTrue(waitedMillis >= 3 * EspSendQueue.PRODUCER_WAIT_MILLIS,
          () -> "each drop comes only after the producer waited; waited " + waitedMillis + " ms");
      release.countDown();
      Inbox.awaitTrue("the queued batches sent", () -> b.stats().espReceived() == batches);
      a.sendEsp(natT(a), natT(b), esp, 0, esp.length);
      a.flushEsp();
      Inbox.awaitTrue("batches recycled", () -> b.stats().espReceived() == batches + 1);
    }
  }

  @Test
  void whenTheEventLoopFallsBehindBriefly_theProducerWaitsAndNothingIsLost() throws Exception {
    Inbox inboxB = new Inbox();
    try (NettyIkeTransport a = NettyIkeTransport.open(IkeListenConfig.ephemeral(V4),
            NettyTransportOptions.defaults().withDirectEsp(false), new Inbox(), null);
        NettyIkeTransport b =
            NettyIkeTransport.open(IkeListenConfig.ephemeral(V4), inboxB, inboxB)) {
      // Shorter than the producer waits for a free batch.
      blockEventLoop(a, () -> Thread.sleep(EspSendQueue.PRODUCER_WAIT_MILLIS / 5));
      byte[] esp = esp(1, 100);
      int sends = EspSendQueue.BATCHES + 3;
      for (int i = 0; i < sends; i++) {
        a.sendEsp(natT(a), natT(b), esp, 0, esp.length);
        a.flushEsp();
      }
      Inbox.awaitTrue("every datagram sent", () -> b.stats().espReceived() == sends);
      assertEquals(0, a.stats().dropped(DropReason.SEND_QUEUE_FULL));
    }
  }

  /** Something the blocked event loop waits for. */
  private interface Blocker {
    void await() throws InterruptedException;
  }

  /** Occupies the NAT-T socket's event loop of {@code transport} with {@code blocker}. */
  private static void blockEventLoop(NettyIkeTransport transport, Blocker blocker)
      throws InterruptedException {
    Channel channel = transport.bound().get(1).socket();
    CountDownLatch blocked = new CountDownLatch(1);
    channel.eventLoop().execute(() -> {
      blocked.countDown();
      try {
        blocker.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    blocked.await();
  }
}
