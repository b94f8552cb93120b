package dev.ferry.vpn.core.sa;

import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.net.TrafficSelector;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.Protocol;
import java.time.Duration;
import java.util.List;

/** Builds valid CHILD SA specs for tests. */
final class ChildSaFixtures {
  private ChildSaFixtures() { }

  static ChildSaKeys aeadKeys(int seed) {
    return new ChildSaKeys(Secret.of(new byte[16]), Secret.of(new byte[] {(byte) seed, 0, 0, 0}),
        Secret.of(new byte[0]));
  }

  static ChildSaSpec gcm(int inboundSpi, int outboundSpi) {
    return new ChildSaSpec("test", inboundSpi, outboundSpi,
        Proposal.parse("aes128gcm16", Protocol.ESP), aeadKeys(1), aeadKeys(2),
        List.of(TrafficSelector.of(IpPrefix.parse("10.0.0.0/24"))),
        List.of(TrafficSelector.of(IpPrefix.parse("192.168.0.0/24")),
            TrafficSelector.of(IpPrefix.parse("fd00::/64"))),
        UdpEndpoint.parse("192.0.2.1:4500"), UdpEndpoint.parse("198.51.100.7:4500"), true,
        SaLifetime.ofTime(Duration.ofHours(1), Duration.ofMinutes(9)), 1024);
  }
}
