/**
 * UDP transport for IKE on ports 500 and 4500 (RFC 7296 section 2, RFC 3948).
 *
 * <p>{@link dev.ferry.vpn.ike.transport.IkeTransport} is what exchanges use; {@link
 * dev.ferry.vpn.ike.transport.IkeUdpTransport} adds what the NAT-traversal socket also carries: NAT
 * keepalives and ESP-in-UDP for the data plane. Two implementations share one set of framing and
 * demultiplexing rules (non-ESP marker, 0xFF keepalive, ESP by non-zero SPI): {@link
 * dev.ferry.vpn.ike.transport.NettyIkeTransport} on real sockets and {@link
 * dev.ferry.vpn.ike.transport.LoopbackIkeNetwork}, an in-memory network with seeded loss,
 * duplication, reordering and NAT rewriting for deterministic tests of two peers in one JVM. One
 * transport serves all IKE SAs; finding the SA by SPI is the message handler's job.
 */
package dev.ferry.vpn.ike.transport;
