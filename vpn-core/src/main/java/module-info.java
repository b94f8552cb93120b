/**
 * Ferry VPN core: value types, packet views, subnet NAT, the route planner, the configuration model
 * and the small SPIs the other modules meet at.
 */
module dev.ferry.vpn.core {
  requires org.slf4j;
  requires org.bouncycastle.provider;
  requires org.yaml.snakeyaml;
  requires static org.immutables.value.annotations;

  exports dev.ferry.vpn.core.config;
  exports dev.ferry.vpn.core.crypto;
  exports dev.ferry.vpn.core.io;
  exports dev.ferry.vpn.core.nat;
  exports dev.ferry.vpn.core.net;
  exports dev.ferry.vpn.core.packet;
  exports dev.ferry.vpn.core.proposal;
  exports dev.ferry.vpn.core.route;
  exports dev.ferry.vpn.core.sa;
  exports dev.ferry.vpn.core.time;
}
