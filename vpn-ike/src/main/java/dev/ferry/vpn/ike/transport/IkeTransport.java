package dev.ferry.vpn.ike.transport;

import dev.ferry.vpn.core.io.UdpEndpoint;
import java.util.List;

/**
 * Sends IKE messages over UDP (RFC 7296 section 2: port 500; RFC 3948: port 4500 after NAT
 * detection). On the NAT-traversal port the transport adds the four-octet non-ESP marker to what
 * it sends and strips it from what it receives (RFC 3948 section 2.2), so callers always see bare
 * IKE messages. One transport serves every IKE SA of an endpoint; received messages go to the
 * {@link IkeMessageHandler} given when it was opened.
 *
 * <p>Implementations: the Netty UDP transport, and an in-memory twin for tests and embedding.
 */
public interface IkeTransport extends AutoCloseable {

  /** Sends one IKE message from {@code local} (one of {@link #localEndpoints()}) to {@code remote}. */
  void send(UdpEndpoint local, UdpEndpoint remote, byte[] message);

  /** The endpoints this transport listens on, e.g. {@code 192.0.2.1:500} and {@code 192.0.2.1:4500}. */
  List<UdpEndpoint> localEndpoints();

  /** Stops receiving and releases the sockets; idempotent. */
  @Override
  void close();

  /** Receives IKE messages (marker already removed). Called on the transport's I/O thread. */
  @FunctionalInterface
  interface IkeMessageHandler {
    void onMessage(UdpEndpoint local, UdpEndpoint remote, byte[] message);
  }
}
