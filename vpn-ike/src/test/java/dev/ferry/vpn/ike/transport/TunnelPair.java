package dev.ferry.vpn.ike.transport;

import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.io.PacketBatch;
import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.nat.NatEngine;
import dev.ferry.vpn.core.nat.NatPolicy;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.TrafficSelector;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.Protocol;
import dev.ferry.vpn.core.proposal.Transform;
import dev.ferry.vpn.core.sa.ChildSaKeys;
import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.core.sa.SaLifetime;
import dev.ferry.vpn.core.time.ManualScheduler;
import dev.ferry.vpn.esp.EspStats;
import dev.ferry.vpn.esp.SaLifetimeListener;
import dev.ferry.vpn.esp.SaStore;
import dev.ferry.vpn.esp.io.InMemoryTun;
import dev.ferry.vpn.esp.pipeline.DataPlane;
import dev.ferry.vpn.esp.pipeline.DataPlaneOptions;
import dev.ferry.vpn.esp.pipeline.EspDatagramSink;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Two data planes back to back over a {@link LoopbackIkeNetwork}: side A at 192.0.2.1, side B at
 * 198.51.100.2, each with an {@link InMemoryTun}, its own SA store and NAT engine, linked to its
 * transport's NAT-traversal socket by an {@link EspTransportLink}. CHILD SA pairs are built by
 * hand: A's outbound half is B's inbound half with the same keys, and the other way round.
 */
final class TunnelPair implements AutoCloseable {
  static final String SUITE = "aes128gcm16";

  /** One end of the tunnel. */
  record Side(String name, InMemoryTun tun, SaStore store, NatEngine nat, DataPlane plane,
      IkeUdpTransport transport, EspTransportLink link, UdpEndpoint natTraversal,
      List<TrafficSelector> networks) {

    /** Runs {@code packet} through the outbound pipeline on the calling thread. */
    void send(byte[] packet) {
      PacketBatch batch = PacketBatch.forMtu(1, Math.max(packet.length, 68));
      batch.put(0, packet, 0, packet.length);
      plane.processOutbound(batch, 1);
    }

    EspStats esp() {
      return store.stats();
    }
  }

  final LoopbackIkeNetwork network;
  final Side a;
  final Side b;
  final Proposal proposal;

  private TunnelPair(LoopbackIkeNetwork network, Side a, Side b, Proposal proposal) {
    this.network = network;
    this.a = a;
    this.b = b;
    this.proposal = proposal;
  }

  /**
   * A pair with no SA installed yet.
   *
   * @param tunMtu the MTU of both in-memory TUN devices (may exceed the tunnel's, to test PMTU)
   * @param started whether the outbound workers run (else tests call {@link Side#send})
   */
  static TunnelPair open(String suite, NatPolicy natA, List<TrafficSelector> aNetworks,
      NatPolicy natB, List<TrafficSelector> bNetworks, DataPlaneOptions options, int tunMtu,
      boolean started) {
    return open(suite, natA, aNetworks, options, natB, bNetworks, options, tunMtu, started);
  }

  /** As above with different options for each side. */
  static TunnelPair open(String suite, NatPolicy natA, List<TrafficSelector> aNetworks,
      DataPlaneOptions optionsA, NatPolicy natB, List<TrafficSelector> bNetworks,
      DataPlaneOptions optionsB, int tunMtu, boolean started) {
    LoopbackIkeNetwork network = new LoopbackIkeNetwork(LoopbackIkeNetwork.Delivery.IMMEDIATE, 7);
    Side a = side("a", network, "192.0.2.1", natA, aNetworks, optionsA, tunMtu, started);
    Side b = side("b", network, "198.51.100.2", natB, bNetworks, optionsB, tunMtu, started);
    return new TunnelPair(network, a, b, Proposal.parse(suite + "-noesn", Protocol.ESP));
  }

  /** Without NAT: A has 10.1.0.0/16 and fd01::/48, B 10.2.0.0/16 and fd02::/48. */
  static TunnelPair plain(DataPlaneOptions options, int tunMtu, boolean started) {
    return plain(SUITE, options, options, tunMtu, started);
  }

  /** Without NAT, with a suite and options per side. */
  static TunnelPair plain(String suite, DataPlaneOptions optionsA, DataPlaneOptions optionsB,
      int tunMtu, boolean started) {
    return open(suite, NatPolicy.NONE, selectors("10.1.0.0/16", "fd01::/48"), optionsA,
        NatPolicy.NONE, selectors("10.2.0.0/16", "fd02::/48"), optionsB, tunMtu, started);
  }

  static List<TrafficSelector> selectors(String... prefixes) {
    return java.util.Arrays.stream(prefixes)
        .map(p -> TrafficSelector.of(dev.ferry.vpn.core.net.IpPrefix.parse(p))).toList();
  }

  private static Side side(String name, LoopbackIkeNetwork network, String address, NatPolicy nat,
      List<TrafficSelector> networks, DataPlaneOptions options, int tunMtu, boolean started) {
    EspTransportLink link = new EspTransportLink();
    IkeUdpTransport transport = network.open(
        IkeListenConfig.ephemeral(IpAddress.parse(address)), (l, r, m) -> { }, link);
    UdpEndpoint natTraversal = transport.localSockets().stream()
        .filter(s -> s.role() == PortRole.NAT_TRAVERSAL).findFirst().orElseThrow().endpoint();
    ManualScheduler scheduler = new ManualScheduler();
    SaStore store = new SaStore(new CryptoProvider(new SecureRandom()), scheduler, scheduler,
        SaLifetimeListener.NONE, new EspStats());
    // The queues preallocate capacity x MTU octets: deep ones only for the streaming tests.
    InMemoryTun tun = new InMemoryTun(tunMtu, 64, tunMtu > 2000 ? 64 : 4096);
    NatEngine engine = new NatEngine(nat);
    EspDatagramSink sink = EspTransportLink.sink(transport);
    DataPlane plane = started ? DataPlane.start(tun, store, engine, sink, options)
        : DataPlane.create(tun, store, engine, sink, options);
    link.attach(plane);
    return new Side(name, tun, store, engine, plane, transport, link, natTraversal, networks);
  }

  /** A's spec of the SA pair with A's inbound SPI {@code spiA} and B's {@code spiB}. */
  ChildSaSpec specA(int spiA, int spiB, long keySeed) {
    return spec(a, b, spiA, spiB, keys(keySeed + 1), keys(keySeed));
  }

  /** B's mirror of {@link #specA}. */
  ChildSaSpec specB(int spiA, int spiB, long keySeed) {
    return spec(b, a, spiB, spiA, keys(keySeed), keys(keySeed + 1));
  }

  private ChildSaSpec spec(Side local, Side remote, int inbound, int outbound,
      ChildSaKeys inboundKeys, ChildSaKeys outboundKeys) {
    return new ChildSaSpec(local.name(), inbound, outbound, proposal, inboundKeys, outboundKeys,
        local.networks(), remote.networks(), local.natTraversal(), remote.natTraversal(), true,
        SaLifetime.ofTime(Duration.ofHours(1), Duration.ofMinutes(5)), 1024);
  }

  /** Installs the pair on both sides, inbound halves first (make-before-break). */
  void install(int spiA, int spiB, long keySeed) {
    ChildSaSpec specA = specA(spiA, spiB, keySeed);
    ChildSaSpec specB = specB(spiA, spiB, keySeed);
    a.store().installInbound(specA);
    b.store().installInbound(specB);
    a.store().installOutbound(specA);
    b.store().installOutbound(specB);
  }

  void remove(int spiA, int spiB) {
    a.store().remove(spiA);
    b.store().remove(spiB);
  }

  private ChildSaKeys keys(long seed) {
    Random random = new Random(seed);
    Transform encryption = proposal.encryption().get(0);
    byte[] key = new byte[CryptoProvider.keyLength(encryption)];
    byte[] salt = new byte[CryptoProvider.saltLength(encryption)];
    byte[] integrity = new byte[proposal.isAead() ? 0
        : CryptoProvider.integrityKeyLength(proposal.integrity().get(0))];
    random.nextBytes(key);
    random.nextBytes(salt);
    random.nextBytes(integrity);
    return new ChildSaKeys(Secret.of(key), Secret.of(salt), Secret.of(integrity));
  }

  @Override
  public void close() {
    a.plane().close();
    b.plane().close();
    a.transport().close();
    b.transport().close();
  }
}
