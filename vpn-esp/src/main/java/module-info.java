/**
 * Ferry VPN ESP data plane: ESP protection in tunnel mode (RFC 4303) with AEAD and classic suites,
 * anti-replay windows, CHILD SA lifetimes and the SA store the control plane installs into.
 */
module dev.ferry.vpn.esp {
  requires transitive dev.ferry.vpn.core;
  requires org.slf4j;

  exports dev.ferry.vpn.esp;
  exports dev.ferry.vpn.esp.replay;
}
