/**
 * Ferry VPN ESP data plane: ESP protection in tunnel mode (RFC 4303) with AEAD and classic suites,
 * anti-replay windows, CHILD SA lifetimes, the SA store the control plane installs into, and the
 * inner-packet I/O backends (in-memory, Linux TUN).
 */
module dev.ferry.vpn.esp {
  requires transitive dev.ferry.vpn.core;
  requires org.slf4j;

  exports dev.ferry.vpn.esp;
  exports dev.ferry.vpn.esp.io;
  exports dev.ferry.vpn.esp.pipeline;
  exports dev.ferry.vpn.esp.replay;
}
