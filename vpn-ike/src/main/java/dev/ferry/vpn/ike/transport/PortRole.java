package dev.ferry.vpn.ike.transport;

/**
 * What a bound UDP socket is for. The role, not the port number, decides the framing, so ephemeral
 * ports in tests behave exactly like 500 and 4500.
 */
public enum PortRole {
  /** The IKE port (RFC 7296 section 2: 500): datagrams are bare IKE messages. */
  IKE,
  /**
   * The NAT-traversal port (RFC 3948: 4500): IKE behind the four-octet non-ESP marker, ESP-in-UDP,
   * and one-octet NAT keepalives share the socket.
   */
  NAT_TRAVERSAL
}
