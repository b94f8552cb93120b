/** Ferry VPN ESP data plane (RFC 4303, RFC 3948) and its inner-packet I/O backends. */
module dev.ferry.vpn.esp {
  requires transitive dev.ferry.vpn.core;

  exports dev.ferry.vpn.esp.io;
}
