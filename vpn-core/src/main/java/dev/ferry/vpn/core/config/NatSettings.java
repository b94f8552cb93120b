package dev.ferry.vpn.core.config;

import dev.ferry.vpn.core.nat.NatRule;
import dev.ferry.vpn.core.net.IpPrefix;
import java.util.List;
import org.immutables.value.Value;

/** The chart's subnet NAT and source-address keys. */
@Value.Immutable
public interface NatSettings {

  /** {@code localSubnetNAT}: cluster subnets as the remote side sees them. */
  List<NatRule> localSubnetNat();

  /** {@code remoteSubnetNAT}: remote subnets as the cluster sees them. */
  List<NatRule> remoteSubnetNat();

  /** {@code enableSingleSourceIP}: all cluster traffic leaves from the single local /32. */
  @Value.Default
  default boolean singleSourceIp() {
    return false;
  }

  /** {@code localNonClusterSubnet}: non-cluster subnets exposed with masquerading. */
  List<IpPrefix> localNonClusterSubnets();

  /** {@code enablePodSNAT}. */
  @Value.Default
  default PodSnat podSnat() {
    return PodSnat.AUTO;
  }
}
