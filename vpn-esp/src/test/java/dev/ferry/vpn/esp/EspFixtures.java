package dev.ferry.vpn.esp;

import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.net.TrafficSelector;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.Protocol;
import dev.ferry.vpn.core.proposal.Transform;
import dev.ferry.vpn.core.sa.ChildSaKeys;
import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.core.sa.SaLifetime;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Random;

/** CHILD SA pairs for tests: our side and the peer's mirror image, with matching keys. */
final class EspFixtures {
  private EspFixtures() {}

  /** Every suite the data plane runs, as strongSwan ESP proposal keywords. */
  static final List<String> SUITES = List.of(
      "aes128gcm16", "aes256gcm16", "aes192gcm12", "aes128gcm8", "chacha20poly1305",
      "aes128-sha256", "aes256-sha384", "aes192-sha512", "aes128-sha1", "aes256-aesxcbc",
      "3des-sha1");

  static final List<TrafficSelector> LOCAL = List.of(
      TrafficSelector.of(IpPrefix.parse("10.1.0.0/16")),
      TrafficSelector.of(IpPrefix.parse("fd01::/48")));
  static final List<TrafficSelector> REMOTE = List.of(
      TrafficSelector.of(IpPrefix.parse("10.2.0.0/16")),
      TrafficSelector.of(IpPrefix.parse("fd02::/48")));

  static final SaLifetime LONG_LIFE = SaLifetime.ofTime(Duration.ofHours(1), Duration.ofMinutes(5));

  static CryptoProvider crypto(long seed) {
    return new CryptoProvider(deterministicRandom(seed));
  }

  @SuppressWarnings("deprecation") // SHA1PRNG seeded before first use is deterministic: tests only
  static SecureRandom deterministicRandom(long seed) {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(seed);
      return random;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Proposal proposal(String suite, boolean esn) {
    return Proposal.parse(suite + (esn ? "-esn" : "-noesn"), Protocol.ESP);
  }

  static ChildSaKeys keys(Proposal proposal, long seed) {
    Random random = new Random(seed);
    Transform encr = proposal.encryption().get(0);
    byte[] key = bytes(random, CryptoProvider.keyLength(encr));
    byte[] salt = bytes(random, CryptoProvider.saltLength(encr));
    byte[] integrity = proposal.isAead() ? new byte[0]
        : bytes(random, CryptoProvider.integrityKeyLength(proposal.integrity().get(0)));
    return new ChildSaKeys(Secret.of(key), Secret.of(salt), Secret.of(integrity));
  }

  static byte[] bytes(Random random, int n) {
    byte[] out = new byte[n];
    random.nextBytes(out);
    return out;
  }

  /** Our spec: inbound SPI {@code in}, outbound {@code out}, keys derived from the seeds. */
  static ChildSaSpec spec(String suite, boolean esn, int in, int out, long keySeed,
      SaLifetime lifetime, int window) {
    Proposal p = proposal(suite, esn);
    return new ChildSaSpec("test", in, out, p, keys(p, keySeed), keys(p, keySeed + 1), LOCAL,
        REMOTE, UdpEndpoint.parse("192.0.2.1:4500"), UdpEndpoint.parse("198.51.100.7:4500"), true,
        lifetime, window);
  }

  /** The peer's view of {@code ours}: SPIs, keys, selectors and endpoints swapped. */
  static ChildSaSpec mirror(ChildSaSpec ours) {
    return new ChildSaSpec("peer", ours.outboundSpi(), ours.inboundSpi(), ours.proposal(),
        ours.outboundKeys(), ours.inboundKeys(), ours.remoteSelectors(), ours.localSelectors(),
        ours.remoteTunnelEndpoint(), ours.localTunnelEndpoint(), ours.udpEncapsulation(),
        ours.lifetime(), ours.replayWindow());
  }

  /** Our SA and the peer's, in one JVM; only ours reports to a listener. */
  record Pair(EspSa ours, EspSa peer, EspStats ourStats, EspStats peerStats) {}

  static Pair pair(String suite, boolean esn) {
    return pair(spec(suite, esn, 0x1000_0001, 0x2000_0002, 7, LONG_LIFE, 1024),
        SaLifetimeListener.NONE, 0);
  }

  static Pair pair(ChildSaSpec ours, SaLifetimeListener listener, long lastOutboundSequence) {
    EspStats ourStats = new EspStats();
    EspStats peerStats = new EspStats();
    InstantSource clock = InstantSource.system();
    EspSa us = new EspSa(ours, crypto(1), ourStats, listener, clock, lastOutboundSequence);
    EspSa them = new EspSa(mirror(ours), crypto(2), peerStats, SaLifetimeListener.NONE, clock, 0);
    return new Pair(us, them, ourStats, peerStats);
  }

  /** An inner packet from our side to the peer's side with {@code payload} octets. */
  static byte[] innerPacket(boolean ipv6, byte[] payload) {
    return ipv6
        ? TestIpPackets.packet("fd01::5", "fd02::9", payload)
        : TestIpPackets.packet("10.1.2.3", "10.2.3.4", payload);
  }

  /** A buffer holding {@code packet} at {@link OutboundSa#MAX_HEADROOM} with room behind it. */
  static byte[] framed(byte[] packet, int tfcPadding) {
    byte[] buf = new byte[OutboundSa.MAX_HEADROOM + packet.length + tfcPadding
        + OutboundSa.MAX_TAILROOM];
    System.arraycopy(packet, 0, buf, OutboundSa.MAX_HEADROOM, packet.length);
    return buf;
  }
}
