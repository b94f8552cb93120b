package dev.ferry.vpn.core.config;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpPrefix;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/** The chart's {@code remote.*} keys: the on-premises side ("right" in ipsec.conf). */
@Value.Immutable
public interface RemoteSettings {

  /** {@code remote.gateway}. */
  @Value.Default
  default RemoteGateway gateway() {
    return new RemoteGateway.Any();
  }

  /** {@code remote.subnet}: never empty in a loaded configuration. */
  List<IpPrefix> subnets();

  /** {@code remote.id}. */
  @Value.Default
  default Identity identity() {
    return Identity.parse("on-prem");
  }

  /** {@code remote.privateIPtoPing}. */
  Optional<IpAddress> privateIpToPing();
}
