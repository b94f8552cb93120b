package dev.ferry.vpn.ike.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.ike.transport.IkeTransport.IkeMessageHandler;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The transport contract on real UDP sockets, IPv4 and IPv6 loopback, plus wire-level checks. */
class NettyIkeTransportTest extends IkeUdpTransportContract {

  private static final IpAddress V4 = IpAddress.parse("127.0.0.1");

  @Override
  IkeUdpTransport open(
      IkeListenConfig config, IkeMessageHandler ikeHandler, EspDatagramHandler espHandler) {
    return NettyIkeTransport.open(config, ikeHandler, espHandler);
  }

  @Override
  List<IpAddress> addresses() {
    return List.of(V4, IpAddress.parse("::1"));
  }

  @Test
  void onTheWireTheMarkerIsFourZeroOctetsAndTheKeepaliveOneOctet0xFf() throws Exception {
    try (NettyIkeTransport t =
            NettyIkeTransport.open(IkeListenConfig.ephemeral(V4), new Inbox(), null);
        DatagramSocket raw =
            new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      raw.setSoTimeout((int) Inbox.TIMEOUT.toMillis());
      UdpEndpoint natT = socket(t, V4, PortRole.NAT_TRAVERSAL);
      UdpEndpoint rawEnd = new UdpEndpoint(V4, raw.getLocalPort());
      byte[] message = Datagrams.ikeMessage(4, 50);
      t.send(natT, rawEnd, message);
      byte[] wire = receive(raw);
      assertArrayEquals(new byte[4], Arrays.copyOf(wire, 4));
      assertArrayEquals(message, Arrays.copyOfRange(wire, 4, wire.length));
      t.sendKeepalive(natT, rawEnd);
      assertArrayEquals(new byte[] {(byte) 0xFF}, receive(raw));
      t.send(socket(t, V4, PortRole.IKE), rawEnd, message);
      assertArrayEquals(message, receive(raw));
    }
  }

  @Test
  void theNioTransportPassesTheBasicsToo() {
    Inbox inbox = new Inbox();
    NettyTransportOptions nio = NettyTransportOptions.defaults().withNio();
    try (NettyIkeTransport a =
            NettyIkeTransport.open(IkeListenConfig.ephemeral(V4), nio, new Inbox(), null);
        NettyIkeTransport b =
            NettyIkeTransport.open(IkeListenConfig.ephemeral(V4), nio, inbox, inbox)) {
      assertFalse(a.usesNativeTransport());
      byte[] message = Datagrams.ikeMessage(5, 64);
      a.send(socket(a, V4, PortRole.NAT_TRAVERSAL), socket(b, V4, PortRole.NAT_TRAVERSAL), message);
      assertArrayEquals(message, inbox.take().bytes());
    }
  }

  @Test
  void aDatagramLargerThanTheReceiveBufferIsCountedAsTruncated() {
    NettyTransportOptions small = new NettyTransportOptions(1, Duration.ofSeconds(2), true, 1280);
    Inbox inbox = new Inbox();
    try (NettyIkeTransport a =
            NettyIkeTransport.open(IkeListenConfig.ephemeral(V4), new Inbox(), null);
        NettyIkeTransport b =
            NettyIkeTransport.open(IkeListenConfig.ephemeral(V4), small, inbox, null)) {
      a.send(
          socket(a, V4, PortRole.IKE), socket(b, V4, PortRole.IKE), Datagrams.ikeMessage(6, 3000));
      Inbox.awaitTrue("truncation counted", () -> b.stats().dropped(DropReason.TRUNCATED) == 1);
      assertEquals(0, inbox.size());
    }
  }

  @Test
  void aHandlerMayCloseItsOwnTransportWithoutDeadlock() {
    Inbox done = new Inbox();
    NettyIkeTransport[] self = new NettyIkeTransport[1];
    try (NettyIkeTransport a =
        NettyIkeTransport.open(IkeListenConfig.ephemeral(V4), new Inbox(), null)) {
      self[0] =
          NettyIkeTransport.open(
              IkeListenConfig.ephemeral(V4),
              (local, remote, message) -> {
                self[0].close();
                done.onMessage(local, remote, message);
              },
              null);
      a.send(
          socket(a, V4, PortRole.IKE),
          socket(self[0], V4, PortRole.IKE),
          Datagrams.ikeMessage(1, 40));
      done.take();
      self[0].close();
    }
  }

  private static byte[] receive(DatagramSocket raw) throws Exception {
    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
    raw.receive(p);
    return Arrays.copyOfRange(p.getData(), 0, p.getLength());
  }
}
