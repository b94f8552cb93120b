package dev.ferry.vpn.ike.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.ike.transport.IkeTransport.IkeMessageHandler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link IkeUdpTransport} must do, run against the Netty transport and the loopback
 * network alike. Subclasses say how to open a transport and which local addresses to use (one per
 * family); each test runs over every address.
 */
abstract class IkeUdpTransportContract {

  private final List<IkeUdpTransport> opened = new ArrayList<>();

  /** Opens a transport under test; {@code espHandler} may be null. */
  abstract IkeUdpTransport open(
      IkeListenConfig config, IkeMessageHandler ikeHandler, EspDatagramHandler espHandler);

  /** Local addresses to bind, e.g. one IPv4 and one IPv6. */
  abstract List<IpAddress> addresses();

  /** Lets queued implementations deliver; real sockets need nothing. */
  void settle() {}

  @AfterEach
  void closeAll() {
    opened.forEach(IkeUdpTransport::close);
  }

  private IkeUdpTransport peer(Inbox inbox) {
    IkeUdpTransport t =
        open(IkeListenConfig.ephemeral(addresses().toArray(IpAddress[]::new)), inbox, inbox);
    opened.add(t);
    return t;
  }

  static UdpEndpoint socket(IkeUdpTransport t, IpAddress address, PortRole role) {
    return t.localSockets().stream()
        .filter(s -> s.role() == role && s.endpoint().address().equals(address))
        .findFirst()
        .orElseThrow()
        .endpoint();
  }

  @Test
  void bindsOneIkeAndOneNatTraversalSocketPerAddressAndReportsRealPorts() {
    IkeUdpTransport a = peer(new Inbox());
    assertEquals(2 * addresses().size(), a.localSockets().size());
    assertEquals(a.localSockets().stream().map(LocalSocket::endpoint).toList(), a.localEndpoints());
    Set<UdpEndpoint> distinct = new HashSet<>(a.localEndpoints());
    assertEquals(a.localEndpoints().size(), distinct.size());
    for (UdpEndpoint e : a.localEndpoints()) {
      assertTrue(e.port() > 0, () -> "ephemeral port not reported: " + e);
    }
  }

  @Test
  void ikeOnTheIkePortArrivesUnchanged() {
    Inbox inboxB = new Inbox();
    IkeUdpTransport a = peer(new Inbox());
    IkeUdpTransport b = peer(inboxB);
    for (IpAddress address : addresses()) {
      UdpEndpoint from = socket(a, address, PortRole.IKE);
      UdpEndpoint to = socket(b, address, PortRole.IKE);
      byte[] message = Datagrams.ikeMessage(7, 300);
      a.send(from, to, message);
      settle();
      Inbox.Received got = inboxB.take();
      assertEquals(Inbox.Kind.IKE, got.kind());
      assertEquals(to, got.local());
      assertEquals(from, got.remote());
      assertArrayEquals(message, got.bytes());
    }
    // The receive counter moves after the handler returns, on the transport's thread.
    Inbox.awaitTrue("received counted", () -> b.stats().ikeReceived() == addresses().size());
    Inbox.awaitTrue("sent counted", () -> a.stats().ikeSent() == addresses().size());
  }

  @Test
  void ikeOnTheNatTraversalPortGetsTheMarkerOnTheWireAndArrivesWithoutIt() {
    Inbox inboxB = new Inbox();
    IkeUdpTransport a = peer(new Inbox());
    IkeUdpTransport b = peer(inboxB);
    for (IpAddress address : addresses()) {
      byte[] message = Datagrams.ikeMessage(9, 120);
      a.send(
          socket(a, address, PortRole.NAT_TRAVERSAL),
          socket(b, address, PortRole.NAT_TRAVERSAL),
          message);
      settle();
      Inbox.Received got = inboxB.take();
      assertEquals(Inbox.Kind.IKE, got.kind());
      assertEquals(socket(a, address, PortRole.NAT_TRAVERSAL), got.remote());
      assertArrayEquals(message, got.bytes());
    }
  }

  @Test
  void theMarkerIsFourZeroOctetsInFrontOfTheMessage() {
    // Seen raw by the peer's IKE socket, which strips nothing. The message is built so that the
    // Length field the receiver reads (at offset 24 of the marked datagram, i.e. octets 20..23 of
    // the message) equals the datagram length, so the marked datagram passes as IKE.
    Inbox inboxB = new Inbox();
    IkeUdpTransport a = peer(new Inbox());
    IkeUdpTransport b = peer(inboxB);
    for (IpAddress address : addresses()) {
      byte[] message = Datagrams.ikeMessage(3, 64);
      java.nio.ByteBuffer.wrap(message).putInt(20, 64 + 4);
      a.send(socket(a, address, PortRole.NAT_TRAVERSAL), socket(b, address, PortRole.IKE), message);
      settle();
      byte[] wire = inboxB.take().bytes();
      assertArrayEquals(new byte[4], java.util.Arrays.copyOf(wire, 4));
      assertArrayEquals(message, java.util.Arrays.copyOfRange(wire, 4, wire.length));
    }
  }

  @Test
  void keepalivesAreCountedAndNotDelivered() {
    Inbox inboxB = new Inbox();
    IkeUdpTransport a = peer(new Inbox());
    IkeUdpTransport b = peer(inboxB);
    for (IpAddress address : addresses()) {
      a.sendKeepalive(
          socket(a, address, PortRole.NAT_TRAVERSAL), socket(b, address, PortRole.NAT_TRAVERSAL));
    }
    settle();
    Inbox.awaitTrue(
        "keepalives received", () -> b.stats().keepalivesReceived() == addresses().size());
    Inbox.awaitTrue("keepalives sent", () -> a.stats().keepalivesSent() == addresses().size());
    assertEquals(0, inboxB.size());
    assertEquals(0, b.stats().droppedTotal());
  }

  @Test
  void espInUdpGoesToTheEspHandlerWithItsEndpoints() {
    Inbox inboxB = new Inbox();
    IkeUdpTransport a = peer(new Inbox());
    IkeUdpTransport b = peer(inboxB);
    for (IpAddress address : addresses()) {
      byte[] esp = Datagrams.esp(0x0102_0304, 100);
      UdpEndpoint from = socket(a, address, PortRole.NAT_TRAVERSAL);
      UdpEndpoint to = socket(b, address, PortRole.NAT_TRAVERSAL);
      a.sendEsp(from, to, Datagrams.padded(esp, 5, 7), 5, esp.length);
      a.flushEsp(); // ESP may wait in the transport until flushed
      settle();
      Inbox.Received got = inboxB.take();
      assertEquals(Inbox.Kind.ESP, got.kind());
      assertEquals(to, got.local());
      assertEquals(from, got.remote());
      assertArrayEquals(esp, got.bytes());
    }
    Inbox.awaitTrue("received counted", () -> b.stats().espReceived() == addresses().size());
  }

  @Test
  void espWithoutAHandlerIsCountedAndDropped() {
    Inbox inboxB = new Inbox();
    IkeUdpTransport a = peer(new Inbox());
    IkeUdpTransport b =
        open(IkeListenConfig.ephemeral(addresses().toArray(IpAddress[]::new)), inboxB, null);
    opened.add(b);
    IpAddress address = addresses().get(0);
    byte[] esp = Datagrams.esp(77, 20);
    a.sendEsp(
        socket(a, address, PortRole.NAT_TRAVERSAL),
        socket(b, address, PortRole.NAT_TRAVERSAL),
        esp,
        0,
        esp.length);
    a.flushEsp(); // ESP may wait in the transport until flushed
    settle();
    Inbox.awaitTrue("ESP counted", () -> b.stats().dropped(DropReason.ESP_UNHANDLED) == 1);
    assertEquals(0, inboxB.size());
  }

  @Test
  void espThatWouldReadAsIkeOrIsShorterThanItsHeaderIsNotSent() {
    IkeUdpTransport a = peer(new Inbox());
    Inbox inboxB = new Inbox();
    IkeUdpTransport b = peer(inboxB);
    IpAddress address = addresses().get(0);
    UdpEndpoint from = socket(a, address, PortRole.NAT_TRAVERSAL);
    UdpEndpoint to = socket(b, address, PortRole.NAT_TRAVERSAL);
    byte[] zeroSpi = Datagrams.esp(0, 40);
    a.sendEsp(from, to, zeroSpi, 0, zeroSpi.length);
    a.sendEsp(from, to, Datagrams.esp(5, 0), 0, 7);
    a.flushEsp(); // ESP may wait in the transport until flushed
    settle();
    assertEquals(2, a.stats().dropped(DropReason.ESP_INVALID));
    assertEquals(0, a.stats().espSent());
    assertEquals(0, b.stats().espReceived() + b.stats().droppedTotal());
  }

  @Test
  void malformedIkeDatagramsAreCountedByReasonAndNotDelivered() {
    // sendEsp puts bytes on the wire unframed, so aimed at the IKE socket it injects raw datagrams.
    Inbox inboxB = new Inbox();
    IkeUdpTransport a = peer(new Inbox());
    IkeUdpTransport b = peer(inboxB);
    IpAddress address = addresses().get(0);
    UdpEndpoint from = socket(a, address, PortRole.NAT_TRAVERSAL);
    UdpEndpoint toIke = socket(b, address, PortRole.IKE);
    UdpEndpoint toNatT = socket(b, address, PortRole.NAT_TRAVERSAL);
    byte[] shortOne = Datagrams.ikeMessage(1, 32);
    a.sendEsp(from, toIke, shortOne, 0, 27);
    byte[] truncated = Datagrams.ikeMessage(2, 100);
    a.sendEsp(from, toIke, truncated, 0, 60);
    byte[] trailing = Datagrams.padded(Datagrams.ikeMessage(3, 40), 0, 9);
    a.sendEsp(from, toIke, trailing, 0, trailing.length);
    // On the NAT-T port: a marker followed by less than an IKE header (sent from the IKE socket,
    // which adds no marker of its own).
    byte[] markedStub = new byte[4 + 10];
    a.send(socket(a, address, PortRole.IKE), toNatT, markedStub);
    // On the NAT-T port: an ESP datagram shorter than the ESP header.
    a.sendEsp(from, toNatT, Datagrams.esp(9, 0), 0, 8);
    byte[] tiny = {1, 2, 3};
    a.send(socket(a, address, PortRole.IKE), toNatT, tiny);
    a.flushEsp(); // ESP may wait in the transport until flushed
    settle();
    Inbox.awaitTrue("drops counted", () -> b.stats().droppedTotal() == 5);
    TransportStats s = b.stats();
    assertEquals(3, s.dropped(DropReason.TOO_SHORT));
    assertEquals(1, s.dropped(DropReason.TRUNCATED));
    assertEquals(1, s.dropped(DropReason.LENGTH_MISMATCH));
    // The 8-octet ESP header alone is a valid (if useless) ESP datagram and is delivered.
    Inbox.Received esp = inboxB.take();
    assertEquals(Inbox.Kind.ESP, esp.kind());
    assertNull(inboxB.poll());
  }

  @Test
  void manyMessagesInBothDirectionsAllArrive() {
    Inbox inboxA = new Inbox();
    Inbox inboxB = new Inbox();
    IkeUdpTransport a = peer(inboxA);
    IkeUdpTransport b = peer(inboxB);
    int perDirection = 150;
    for (IpAddress address : addresses()) {
      PortRole role = address.equals(addresses().get(0)) ? PortRole.NAT_TRAVERSAL : PortRole.IKE;
      UdpEndpoint ea = socket(a, address, role);
      UdpEndpoint eb = socket(b, address, role);
      Set<Integer> toB = new HashSet<>();
      Set<Integer> toA = new HashSet<>();
      for (int i = 0; i < perDirection; i++) {
        a.send(ea, eb, Datagrams.ikeMessage(i, 40 + i));
        b.send(eb, ea, Datagrams.ikeMessage(10_000 + i, 40 + i));
        if (i % 25 == 24) {
          settle(); // keep a real socket's receive buffer from overflowing
          for (int k = 0; k < 25; k++) {
            toB.add(Datagrams.tagOf(inboxB.take().bytes()));
            toA.add(Datagrams.tagOf(inboxA.take().bytes()));
          }
        }
      }
      assertEquals(perDirection, toB.size());
      assertEquals(perDirection, toA.size());
      assertTrue(toA.stream().allMatch(t -> t >= 10_000));
    }
  }

  @Test
  void closeReleasesThePortsSoTheyCanBeBoundAgain() {
    IkeUdpTransport a = peer(new Inbox());
    List<UdpEndpoint> endpoints = a.localEndpoints();
    IpAddress first = addresses().get(0);
    int ikePort = socket(a, first, PortRole.IKE).port();
    int natPort = socket(a, first, PortRole.NAT_TRAVERSAL).port();
    IkeListenConfig same = new IkeListenConfig(List.of(first), ikePort, natPort);
    assertThrows(IkeTransportException.class, () -> open(same, new Inbox(), null));
    a.close();
    a.close(); // idempotent
    IkeUdpTransport again = open(same, new Inbox(), null);
    opened.add(again);
    assertEquals(endpoints.subList(0, 2), again.localEndpoints());
  }

  @Test
  void sendingAfterCloseIsCountedNotThrown() {
    IkeUdpTransport a = peer(new Inbox());
    IkeUdpTransport b = peer(new Inbox());
    IpAddress address = addresses().get(0);
    UdpEndpoint from = socket(a, address, PortRole.NAT_TRAVERSAL);
    UdpEndpoint to = socket(b, address, PortRole.NAT_TRAVERSAL);
    a.close();
    a.send(from, to, Datagrams.ikeMessage(1, 40));
    a.sendKeepalive(from, to);
    assertEquals(2, a.stats().dropped(DropReason.SEND_AFTER_CLOSE));
    assertEquals(0, a.stats().ikeSent() + a.stats().keepalivesSent());
  }

  @Test
  void misuseIsRejectedWithAClearError() {
    IkeUdpTransport a = peer(new Inbox());
    IpAddress address = addresses().get(0);
    UdpEndpoint ike = socket(a, address, PortRole.IKE);
    UdpEndpoint remote = new UdpEndpoint(address, 9);
    UdpEndpoint stranger = new UdpEndpoint(address, 1);
    IllegalArgumentException notOurs =
        assertThrows(IllegalArgumentException.class, () -> a.send(stranger, remote, new byte[40]));
    assertTrue(notOurs.getMessage().contains("not bound"), notOurs.getMessage());
    IllegalArgumentException wrongSocket =
        assertThrows(IllegalArgumentException.class, () -> a.sendKeepalive(ike, remote));
    assertTrue(wrongSocket.getMessage().contains("NAT-traversal"), wrongSocket.getMessage());
    IpAddress otherFamily =
        IpAddress.parse(
            address.family() == dev.ferry.vpn.core.net.IpFamily.IPV4 ? "::1" : "127.0.0.1");
    assertThrows(
        IllegalArgumentException.class,
        () -> a.send(ike, new UdpEndpoint(otherFamily, 500), new byte[40]));
    assertThrows(IllegalArgumentException.class, () -> a.send(ike, remote, new byte[70_000]));
    assertEquals(0, a.stats().droppedTotal());
  }
}
