package dev.ferry.vpn.sidecar;

import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.ike.message.ExchangeType;
import dev.ferry.vpn.ike.message.IkeHeader;
import dev.ferry.vpn.ike.transport.ForwardingIkeUdpTransport;
import dev.ferry.vpn.ike.transport.IkeTransport.IkeMessageHandler;
import dev.ferry.vpn.ike.transport.NettyIkeTransport;

/**
 * Makes the first CREATE_CHILD_SA requests of both peers cross on the wire, deterministically, for
 * the simultaneous-rekey interop tests (RFC 7296 sections 2.8.1, 2.8.2). It wraps the sidecar's
 * Netty transport and holds back the first CREATE_CHILD_SA request of the side that asks first:
 *
 * <ul>
 *   <li>{@link First#PEER}: the peer's request is kept from our endpoint until our endpoint sends
 *       its own CREATE_CHILD_SA request (the test asks for it on the console); ours goes out, then
 *       the peer's is handed on. Each side then receives the other's request while its own is
 *       outstanding.
 *   <li>{@link First#US}: our request is kept off the wire until the peer's request arrives (the
 *       test asks strongSwan for it); ours goes out first, then the peer's is handed on.
 * </ul>
 *
 * Retransmissions of a held request are dropped while it is held. Each step is printed on
 * standard output as a line starting with {@code crossing:}, which the test waits for. Which
 * exchange is a CREATE_CHILD_SA request is read from the IKE header (the rest is encrypted).
 */
final class CrossingRekeyTransport extends ForwardingIkeUdpTransport {

  /** Whose CREATE_CHILD_SA request is created first. */
  enum First { PEER, US }

  private record Held(UdpEndpoint local, UdpEndpoint remote, byte[] message) { }

  /** What to do with one request: pass it on (or drop it), and the other side's to release. */
  private record Verdict(boolean pass, Held release) { }

  private final IkeMessageHandler endpoint;
  private final First first;
  private boolean armed = true;
  private Held held;

  private CrossingRekeyTransport(NettyIkeTransport delegate, IkeMessageHandler endpoint,
      First first) {
    super(delegate);
    this.endpoint = endpoint;
    this.first = first;
  }

  /** Opens Netty's transport wrapped so that the first rekeys cross as {@code first} says. */
  static SidecarEndpoint.TransportOpener opener(First first) {
    return (listen, handler, espHandler) -> {
      CrossingRekeyTransport[] self = new CrossingRekeyTransport[1];
      NettyIkeTransport netty = NettyIkeTransport.open(listen, (local, remote, message) -> {
        CrossingRekeyTransport wrapper = self[0];
        if (wrapper == null) {
          handler.onMessage(local, remote, message);
        } else {
          wrapper.received(local, remote, message);
        }
      }, espHandler);
      self[0] = new CrossingRekeyTransport(netty, handler, first);
      return self[0];
    };
  }

  /**
   * One message travelling from {@code sender}: the first CREATE_CHILD_SA request of the side
   * that asks first is held (and its retransmissions dropped); the other side's request passes
   * and releases the held one.
   */
  private synchronized Verdict decide(First sender, UdpEndpoint local, UdpEndpoint remote,
      byte[] message) {
    IkeHeader header = IkeHeader.peek(message, 0, message.length);
    if (header == null || header.isResponse()
        || !header.exchangeType().equals(ExchangeType.CREATE_CHILD_SA)) {
      return new Verdict(true, null);
    }
    if (sender == first) {
      if (armed) {
        armed = false;
        held = new Held(local, remote, message);
        System.out.println(sender == First.US ? "crossing: holding our CREATE_CHILD_SA request"
            : "crossing: holding the peer's CREATE_CHILD_SA request");
        return new Verdict(false, null);
      }
      return new Verdict(held == null, null);
    }
    Held release = held;
    held = null;
    return new Verdict(true, release);
  }

  /** From the network (a Netty thread). */
  private void received(UdpEndpoint local, UdpEndpoint remote, byte[] message) {
    Verdict verdict = decide(First.PEER, local, remote, message);
    if (verdict.release() != null) {
      super.send(verdict.release().local(), verdict.release().remote(),
          verdict.release().message());
      System.out.println("crossing: our CREATE_CHILD_SA request sent, handing on the peer's");
    }
    if (verdict.pass()) {
      endpoint.onMessage(local, remote, message);
    }
  }

  /** From our endpoint (its SA thread). */
  @Override
  public void send(UdpEndpoint local, UdpEndpoint remote, byte[] message) {
    Verdict verdict = decide(First.US, local, remote, message);
    if (verdict.pass()) {
      super.send(local, remote, message);
    }
    if (verdict.release() != null) {
      System.out.println("crossing: our CREATE_CHILD_SA request sent, handing on the peer's");
      endpoint.onMessage(verdict.release().local(), verdict.release().remote(),
          verdict.release().message());
    }
  }
}
