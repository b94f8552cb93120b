/**
 * Ferry VPN IKEv2 control plane (RFC 7296): message codec, crypto suites, exchanges and SA state,
 * NAT traversal, and the Netty UDP transport.
 */
module dev.ferry.vpn.ike {
  requires transitive dev.ferry.vpn.esp;
  requires org.slf4j;
  requires org.bouncycastle.provider;
  requires io.netty.buffer;
  requires io.netty.common;
  requires io.netty.transport;
  requires io.netty.transport.classes.epoll;
  requires io.netty.transport.unix.common;
  requires static org.immutables.value.annotations;

  exports dev.ferry.vpn.ike;
  exports dev.ferry.vpn.ike.crypto;
  exports dev.ferry.vpn.ike.message;
  exports dev.ferry.vpn.ike.transport;
}
