package dev.ferry.vpn.ike.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.esp.io.LinuxUdpSocket;
import dev.ferry.vpn.esp.io.UdpSendListener;
import io.netty.channel.epoll.EpollDatagramChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The edges of the direct socket path ({@link DirectEspSocket} over {@link LinuxUdpSocket}):
 * closing wakes a reader blocked in recvmsg's poll at once, later sends are counted instead of
 * touching the descriptor, a recipient the socket's family cannot reach is refused and counted,
 * and datagrams of many lengths arrive as sent, singly and as GSO runs of at most 64.
 */
class DirectEspSocketTest {
  private static final IpAddress V4 = IpAddress.parse("127.0.0.1");

  private static UdpEndpoint natT(IkeUdpTransport t) {
    return t.localSockets().stream().filter(s -> s.role() == PortRole.NAT_TRAVERSAL)
        .findFirst().orElseThrow().endpoint();
  }

  @Test
  void closingWakesTheBlockedReaderAtOnceAndLaterSendsAreCountedNotSent() {
    NettyIkeTransport a = NettyIkeTransport.open(IkeListenConfig.ephemeral(V4), new Inbox(), null);
    assertTrue(a.usesDirectEsp());
    UdpEndpoint self = natT(a);
    long start = System.nanoTime();
    a.close(); // the reader sits in poll with a 1 s timeout: the eventfd must end it sooner
    long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(closeMillis < 500, "close took " + closeMillis + " ms");
    assertTrue(Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().equals("ferry-esp-rx-" + self.port()) && t.isAlive()));
  }

  @Test
  void datagramsOfManyLengthsArriveAsSentThroughGsoAndSingleSends() {
    Inbox inboxB = new Inbox();
    try (NettyIkeTransport a =
            NettyIkeTransport.open(IkeListenConfig.ephemeral(V4), new Inbox(), null);
        NettyIkeTransport b =
            NettyIkeTransport.open(IkeListenConfig.ephemeral(V4), inboxB, inboxB)) {
      // Lengths 8.. (the shortest ESP datagram the demultiplexer takes) in growing order: each
      // one is longer than the one before, so every send is a single datagram; then 70 equal
      // ones, more than one GSO send holds (64, udp(7) UDP_MAX_SEGMENTS).
      java.util.List<byte[]> sent = new java.util.ArrayList<>();
      for (int len = 8; len <= 1472; len += 97) {
        byte[] esp = Datagrams.esp(len, len - 8);
        a.sendEsp(natT(a), natT(b), esp, 0, esp.length);
        sent.add(esp);
      }
      a.flushEsp(); // the last one alone: the equal ones below start their own runs
      for (int i = 0; i < 70; i++) {
        byte[] esp = Datagrams.esp(i + 1, 1392);
        esp[9] = (byte) i; // tell them apart
        a.sendEsp(natT(a), natT(b), esp, 0, esp.length);
        sent.add(esp);
      }
      a.flushEsp();
      int expected = sent.size();
      for (byte[] esp : sent) {
        Inbox.Received got = inboxB.take();
        assertEquals(Inbox.Kind.ESP, got.kind());
        assertEquals(natT(a), got.remote());
        assertArrayEquals(esp, got.bytes());
      }
      Inbox.awaitTrue("all sent", () -> a.stats().espSent() == expected);
      assertEquals(2, a.stats().espSegmentedSends(), "70 equal datagrams: 64 + 6");
      assertEquals(70, a.stats().espSegmentedDatagrams());
    }
  }

  @Test
  void refusedRecipientsAndWorkAfterCloseAreCountedWithoutTouchingTheDescriptor() throws Exception {
    try (NettyIkeTransport a = NettyIkeTransport.open(IkeListenConfig.ephemeral(V4),
        NettyTransportOptions.defaults().withDirectEsp(false), new Inbox(), null)) {
      EpollDatagramChannel channel = (EpollDatagramChannel) a.bound().get(1).socket();
      int[] dropped = new int[UdpSendListener.Failure.values().length];
      UdpSendListener listener = new UdpSendListener() {
        @Override
        public void sent(int datagrams, boolean segmented) {}

        @Override
        public void dropped(int datagrams, Failure failure) {
          dropped[failure.ordinal()] += datagrams;
        }
      };
      LinuxUdpSocket socket = LinuxUdpSocket.attach(
          channel.fd().intValue(), V4.family(), 1472, true, listener);
      byte[] esp = Datagrams.esp(1, 100);
      // An IPv4 socket cannot reach an IPv6 peer: refused and counted, nothing thrown.
      socket.queue(new UdpEndpoint(IpAddress.parse("::1"), 4500), esp, 0, esp.length);
      socket.flush();
      assertEquals(1, dropped[UdpSendListener.Failure.REFUSED.ordinal()]);
      socket.queue(natT(a), esp, 0, esp.length); // held: a run may still grow
      socket.close();
      assertEquals(1, dropped[UdpSendListener.Failure.CLOSED.ordinal()], "the held run");
      socket.queue(natT(a), esp, 0, esp.length);
      socket.flush();
      assertEquals(2, dropped[UdpSendListener.Failure.CLOSED.ordinal()]);
      assertEquals(-1, socket.receive((from, buf, off, len) -> { }, 1000));
      socket.close(); // idempotent
      assertTrue(channel.isOpen(), "the descriptor stays its owner's");
    }
  }

  /**
   * IPv6 outer addresses take the other socket-address layout (sockaddr_in6) both ways: the
   * sender is decoded from it and the recipient encoded into it, for single and GSO sends.
   */
  @Test
  void ipv6PeersAreDecodedAndEncodedBothWays() {
    IpAddress v6 = IpAddress.parse("::1");
    Inbox inboxA = new Inbox();
    Inbox inboxB = new Inbox();
    try (NettyIkeTransport a =
            NettyIkeTransport.open(IkeListenConfig.ephemeral(v6), inboxA, inboxA);
        NettyIkeTransport b =
            NettyIkeTransport.open(IkeListenConfig.ephemeral(v6), inboxB, inboxB)) {
      assertTrue(a.usesDirectEsp() && b.usesDirectEsp());
      java.util.List<byte[]> sent = new java.util.ArrayList<>();
      for (int i = 0; i < 5; i++) {
        byte[] esp = Datagrams.esp(i + 1, i < 4 ? 1200 : 300); // one GSO run of 5
        a.sendEsp(natT(a), natT(b), esp, 0, esp.length);
        sent.add(esp);
      }
      a.flushEsp();
      for (byte[] esp : sent) {
        Inbox.Received got = inboxB.take();
        assertEquals(natT(a), got.remote(), "the IPv6 sender as decoded");
        assertArrayEquals(esp, got.bytes());
      }
      // And back, to the endpoint B saw A as.
      byte[] reply = Datagrams.esp(99, 64);
      b.sendEsp(natT(b), natT(a), reply, 0, reply.length);
      b.flushEsp();
      Inbox.Received back = inboxA.take();
      assertEquals(natT(b), back.remote());
      assertArrayEquals(reply, back.bytes());
      if (a.usesSegmentation()) {
        assertEquals(1, a.stats().espSegmentedSends());
        assertEquals(5, a.stats().espSegmentedDatagrams());
      }
    }
  }
}
