package dev.ferry.vpn.ike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.config.Identity;
import dev.ferry.vpn.core.config.RemoteGateway;
import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.proposal.ProposalList;
import dev.ferry.vpn.core.proposal.Protocol;
import dev.ferry.vpn.core.packet.Checksums;
import dev.ferry.vpn.core.packet.IpPacketView;
import dev.ferry.vpn.core.sa.ChildSaCounters;
import dev.ferry.vpn.core.sa.ChildSaInstaller;
import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.esp.EspStats;
import dev.ferry.vpn.esp.OutboundSa;
import dev.ferry.vpn.esp.SaLifetimeListener;
import dev.ferry.vpn.esp.SaStore;
import dev.ferry.vpn.core.sa.RecordingChildSaInstaller;
import dev.ferry.vpn.core.time.ManualScheduler;
import dev.ferry.vpn.ike.message.ExchangeType;
import dev.ferry.vpn.ike.message.IkeHeader;
import dev.ferry.vpn.ike.transport.IkeListenConfig;
import dev.ferry.vpn.ike.transport.LoopbackIkeNetwork;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Two endpoints, alice (initiator of the first IKE SA) and bob, over a queued loopback network on
 * a manual clock, with steerable nonces: the bench for simultaneous-rekey collisions (RFC 7296
 * sections 2.8.1 and 2.8.2) in any delivery order.
 */
final class CollisionLab {
  static final IpAddress ALICE = IpAddress.parse("192.0.2.1");
  static final IpAddress BOB = IpAddress.parse("198.51.100.7");
  private static final String IKE = "aes128gcm16-prfsha256-x25519";
  private static final String ESP = "aes128gcm16";

  /** One side of the pair. */
  static final class Peer {
    final String name;
    final IpAddress address;
    final SteerableRandom random;
    final RecordingChildSaInstaller installer = new RecordingChildSaInstaller();
    /**
     * The real data plane's SA store, fed the same installer calls: after any collision it must
     * send the traffic of the CHILD SA's selectors on the surviving SA.
     */
    SaStore dataPlane;
    final List<IkeEvent> events = new ArrayList<>();
    /** Every rekey request this peer received as responder, in order. */
    final List<RekeyRequest> rekeyRequests = new ArrayList<>();
    /** How many more rekey requests of each kind this peer refuses (TEMPORARY_FAILURE). */
    final Map<RekeyAdmission.Kind, Integer> toRefuse = new EnumMap<>(RekeyAdmission.Kind.class);
    IkeEndpoint endpoint;

    Peer(String name, IpAddress address, long seed) {
      this.name = name;
      this.address = address;
      this.random = new SteerableRandom(seed);
    }

    /** Our SPI of the only IKE SA. */
    long ikeSpi() {
      assertEquals(1, endpoint.ikeSas().size(), () -> name + " " + endpoint.ikeSas());
      IkeSaInfo info = endpoint.ikeSas().get(0);
      return info.initiator() ? info.initiatorSpi() : info.responderSpi();
    }

    IkeSaInfo onlyIkeSa() {
      assertEquals(1, endpoint.ikeSas().size(), () -> name + " " + endpoint.ikeSas());
      return endpoint.ikeSas().get(0);
    }

    int childInboundSpi() {
      assertEquals(1, installer.installed().size(), installer.operations()::toString);
      return installer.installed().get(0).inboundSpi();
    }

    /** This peer answers the next {@code count} rekeys of {@code kind} with TEMPORARY_FAILURE. */
    void refuseRekeys(RekeyAdmission.Kind kind, int count) {
      toRefuse.put(kind, count);
    }

    List<RekeyRequest> rekeyRequests(RekeyAdmission.Kind kind) {
      return rekeyRequests.stream().filter(r -> r.kind() == kind).toList();
    }

    <T extends IkeEvent> List<T> events(Class<T> kind) {
      return events.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** CREATE_CHILD_SA requests this peer sends (no NAT here, so no non-ESP marker). */
    Predicate<LoopbackIkeNetwork.InFlight> createChildSaRequests() {
      return d -> {
        IkeHeader h = IkeHeader.peek(d.payload(), 0, d.payload().length);
        return d.source().address().equals(address) && h != null && !h.isResponse()
            && h.exchangeType().equals(ExchangeType.CREATE_CHILD_SA);
      };
    }
  }

  /** A rekey request as the responder's {@link RekeyAdmission} saw it. */
  record RekeyRequest(RekeyAdmission.Kind kind, Instant at, boolean admitted) { }

  final ManualScheduler clock = new ManualScheduler();
  final LoopbackIkeNetwork network = new LoopbackIkeNetwork(LoopbackIkeNetwork.Delivery.QUEUED, 7);
  final Peer alice;
  final Peer bob;

  CollisionLab(long aliceSeed, long bobSeed) {
    this(aliceSeed, bobSeed, (name, builder) -> builder);
  }

  /**
   * @param configure adjusts each peer's configuration (lifetimes, proposals), given its name
   */
  CollisionLab(long aliceSeed, long bobSeed, BiFunction<String, ImmutableIkePeerConfig.Builder,
      ImmutableIkePeerConfig.Builder> configure) {
    alice = new Peer("alice", ALICE, aliceSeed);
    bob = new Peer("bob", BOB, bobSeed);
    IkePeerConfig aliceConfig = configure.apply("alice", config("alice", "bob",
        List.of("10.1.0.0/16"), List.of("10.2.0.0/16"))
        .remoteGateway(new RemoteGateway.Address(BOB))).build();
    IkePeerConfig bobConfig = configure.apply("bob", config("bob", "alice",
        List.of("10.2.0.0/16"), List.of("10.1.0.0/16"))).build();
    alice.endpoint = endpoint(alice, aliceConfig);
    bob.endpoint = endpoint(bob, bobConfig);
    alice.endpoint.initiate(aliceConfig, new UdpEndpoint(BOB, 500));
    settle(Duration.ofSeconds(5));
    assertEquals(IkeSaState.ESTABLISHED, alice.endpoint.state(alice.ikeSpi()).orElseThrow());
  }

  private static ImmutableIkePeerConfig.Builder config(String self, String other,
      List<String> local, List<String> remote) {
    return IkePeerConfig.builder()
        .name(self)
        .localIdentity(Identity.parse(self + ".example"))
        .remoteIdentity(Identity.parse(other + ".example"))
        .presharedKey(Secret.ofUtf8("collision lab"))
        .ikeProposals(ProposalList.parse(IKE, Protocol.IKE))
        .espProposals(ProposalList.parse(ESP, Protocol.ESP))
        .localSubnets(local.stream().map(IpPrefix::parse).toList())
        .remoteSubnets(remote.stream().map(IpPrefix::parse).toList());
  }

  private IkeEndpoint endpoint(Peer peer, IkePeerConfig config) {
    RekeyAdmission admission = (connection, kind) -> {
      int refuse = peer.toRefuse.getOrDefault(kind, 0);
      peer.toRefuse.put(kind, Math.max(0, refuse - 1));
      peer.rekeyRequests.add(new RekeyRequest(kind, clock.instant(), refuse == 0));
      return refuse == 0;
    };
    CryptoProvider crypto = new CryptoProvider(peer.random);
    peer.dataPlane = new SaStore(crypto, clock, clock, SaLifetimeListener.NONE, new EspStats());
    ChildSaInstaller both = new ChildSaInstaller() {
      @Override
      public void installInbound(ChildSaSpec spec) {
        peer.installer.installInbound(spec);
        peer.dataPlane.installInbound(spec);
      }

      @Override
      public void installOutbound(ChildSaSpec spec) {
        peer.installer.installOutbound(spec);
        peer.dataPlane.installOutbound(spec);
      }

      @Override
      public void remove(int inboundSpi) {
        peer.installer.remove(inboundSpi);
        peer.dataPlane.remove(inboundSpi);
      }

      @Override
      public ChildSaCounters counters(int inboundSpi) {
        return peer.installer.counters(inboundSpi);
      }
    };
    IkeEnvironment environment = new IkeEnvironment(crypto, clock, clock,
        both, peer.events::add, Runnable::run, Runnable::run, admission);
    return new IkeEndpoint(List.of(config), environment, HalfOpenPolicy.DEFAULT,
        handler -> network.open(IkeListenConfig.standard(peer.address), handler, null));
  }

  /** Delivers in FIFO order and lets {@code time} pass in one-second steps. */
  void settle(Duration time) {
    settle(time, Duration.ofSeconds(1));
  }

  /** Delivers in FIFO order and lets {@code time} pass in steps of {@code step}. */
  void settle(Duration time, Duration step) {
    for (Duration passed = Duration.ZERO; passed.compareTo(time) < 0; passed = passed.plus(step)) {
      network.deliverAll();
      clock.advance(step);
    }
    network.deliverAll();
  }

  /**
   * Both peers agree on exactly one ESTABLISHED IKE SA, not {@code old}, whose initiator is
   * {@code survivorInitiator} when given; one paired CHILD SA pair is installed on both; nothing
   * went down or failed.
   */
  void assertOneSharedIkeSa(IkeSaInfo old, Peer survivorInitiator) {
    IkeSaInfo a = alice.onlyIkeSa();
    IkeSaInfo b = bob.onlyIkeSa();
    assertEquals(a.initiatorSpi(), b.initiatorSpi());
    assertEquals(a.responderSpi(), b.responderSpi());
    assertNotEquals(old.initiatorSpi(), a.initiatorSpi());
    assertEquals(IkeSaState.ESTABLISHED, alice.endpoint.state(alice.ikeSpi()).orElseThrow());
    assertEquals(IkeSaState.ESTABLISHED, bob.endpoint.state(bob.ikeSpi()).orElseThrow());
    if (survivorInitiator != null) {
      assertTrue((survivorInitiator == alice) == a.initiator(), a::toString);
    }
    assertPairedChildSa();
    for (Peer p : List.of(alice, bob)) {
      assertEquals(List.of(), p.events(IkeEvent.IkeSaDown.class), p.name);
      assertEquals(List.of(), p.events(IkeEvent.ChildSaFailed.class), p.name);
    }
  }

  void assertPairedChildSa() {
    assertEquals(1, alice.installer.installed().size(), alice.installer.operations()::toString);
    assertEquals(1, bob.installer.installed().size(), bob.installer.operations()::toString);
    ChildSaSpec a = alice.installer.installed().get(0);
    ChildSaSpec b = bob.installer.installed().get(0);
    // The data plane agrees: a packet between the subnets leaves on the one SA left.
    assertEquals(a.outboundSpi(), sendingSpi(alice, "10.1.0.1", "10.2.0.1"));
    assertEquals(b.outboundSpi(), sendingSpi(bob, "10.2.0.1", "10.1.0.1"));
    assertEquals(a.inboundSpi(), b.outboundSpi());
    assertEquals(a.outboundSpi(), b.inboundSpi());
    assertEquals(a.outboundKeys(), b.inboundKeys());
    assertEquals(a.inboundKeys(), b.outboundKeys());
  }

  /** The survivor carries CHILD SA work: a CHILD rekey from each side runs through it. */
  /** The SPI {@code peer}'s data plane sends a packet between the subnets with. */
  private static int sendingSpi(Peer peer, String source, String destination) {
    OutboundSa sa = peer.dataPlane.outbound(udp(source, destination));
    assertTrue(sa != null, () -> peer.name + "'s data plane has no outbound SA for "
        + destination + "; installed: " + peer.dataPlane.installed());
    return sa.spi();
  }

  /** A minimal IPv4/UDP packet from {@code source} to {@code destination}. */
  private static IpPacketView udp(String source, String destination) {
    byte[] p = new byte[28];
    p[0] = 0x45;
    p[3] = 28;
    p[8] = 64;
    p[9] = 17;
    System.arraycopy(IpAddress.parse(source).toBytes(), 0, p, 12, 4);
    System.arraycopy(IpAddress.parse(destination).toBytes(), 0, p, 16, 4);
    int checksum = Checksums.checksum(p, 0, 20);
    p[10] = (byte) (checksum >>> 8);
    p[11] = (byte) checksum;
    p[21] = 9;
    p[23] = 9;
    p[25] = 8;
    return IpPacketView.parse(p);
  }

  void assertChildRekeysWork() {
    for (Peer p : List.of(alice, bob)) {
      int before = p.childInboundSpi();
      int rekeyedBefore = p.events(IkeEvent.ChildSaRekeyed.class).size();
      p.endpoint.rekeyChild(before);
      settle(Duration.ofSeconds(2));
      assertPairedChildSa();
      assertNotEquals(before, p.childInboundSpi());
      assertEquals(rekeyedBefore + 1, p.events(IkeEvent.ChildSaRekeyed.class).size());
    }
  }
}
