package dev.ferry.vpn.ike.transport;

/** The three kinds of datagram a transport carries (RFC 3948 section 2). */
enum DatagramKind {
  IKE,
  ESP,
  NAT_KEEPALIVE
}
