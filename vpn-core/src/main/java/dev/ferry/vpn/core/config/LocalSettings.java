package dev.ferry.vpn.core.config;

import dev.ferry.vpn.core.net.IpPrefix;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/** The chart's {@code local.*} keys: the cluster side ("left" in ipsec.conf). */
@Value.Immutable
public interface LocalSettings {

  /** {@code local.subnet}; empty when it is {@code %zoneSubnet}. */
  List<IpPrefix> subnets();

  /** True when {@code local.subnet} is {@code %zoneSubnet}: the subnet depends on the zone. */
  @Value.Default
  default boolean subnetFromZone() {
    return false;
  }

  /** {@code local.zoneSubnet}: zone name to subnet. */
  Map<String, IpPrefix> zoneSubnets();

  /** {@code local.id}. */
  @Value.Default
  default Identity identity() {
    return Identity.parse("ibm-cloud");
  }

  /** The subnets to expose when running in {@code zone} (only matters for {@code %zoneSubnet}). */
  default List<IpPrefix> subnetsIn(Optional<String> zone) {
    if (!subnetFromZone()) {
      return subnets();
    }
    return zone.map(zoneSubnets()::get).map(List::of).orElse(List.of());
  }

  /** Every prefix the cluster side may use: the subnets and all zone subnets. */
  default List<IpPrefix> allSubnets() {
    return subnetFromZone() ? List.copyOf(zoneSubnets().values()) : subnets();
  }
}
