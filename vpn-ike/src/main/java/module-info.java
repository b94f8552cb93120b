/** Ferry VPN IKEv2 control plane (RFC 7296). Implementation arrives with the control-plane issue. */
module dev.ferry.vpn.ike {
  requires transitive dev.ferry.vpn.esp;
}
