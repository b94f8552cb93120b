/** Ferry VPN ESP data plane (RFC 4303, RFC 3948). Implementation arrives with the data-plane issue. */
module dev.ferry.vpn.esp {
  requires transitive dev.ferry.vpn.core;
}
