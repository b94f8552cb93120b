package dev.ferry.vpn.core.route;

import dev.ferry.vpn.core.net.IpPrefix;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** The IBM classic worker node fixture and the cluster it belongs to. */
final class RouteFixtures {

  private RouteFixtures() {}

  /** {@code ip -j route show table all} of an IBM classic worker (private eth0, public eth1). */
  static String ibmClassicNodeJson() {
    try (InputStream in = RouteFixtures.class.getResourceAsStream("/route/ibm-classic-node.json")) {
      if (in == null) {
        throw new IllegalStateException("test resource /route/ibm-classic-node.json is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static RouteTable ibmClassicNode() {
    return IpRouteJson.parse(ibmClassicNodeJson());
  }

  /** IBM's defaults: pods 172.30.0.0/16, services 172.21.0.0/16, the node's private subnet. */
  static ClusterNetworks ibmCluster() {
    return new ClusterNetworks(
        prefixes("172.30.0.0/16"),
        prefixes("172.21.0.0/16"),
        prefixes("10.176.1.0/26"),
        ClusterNetworks.IBM_CLASSIC_RESERVED);
  }

  static RoutePolicy.Builder ibmPolicy(String... remoteSubnets) {
    return RoutePolicy.builder().cluster(ibmCluster()).remoteSubnets(prefixes(remoteSubnets));
  }

  static List<IpPrefix> prefixes(String... texts) {
    return Arrays.stream(texts).map(IpPrefix::parse).toList();
  }
}
