package dev.ferry.vpn.ike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.config.Identity;
import dev.ferry.vpn.core.config.RemoteGateway;
import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.net.TrafficSelector;
import dev.ferry.vpn.core.proposal.ProposalList;
import dev.ferry.vpn.core.proposal.Protocol;
import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.core.sa.RecordingChildSaInstaller;
import dev.ferry.vpn.core.time.ManualScheduler;
import dev.ferry.vpn.ike.transport.IkeListenConfig;
import dev.ferry.vpn.ike.transport.IkeUdpTransport;
import dev.ferry.vpn.ike.transport.LocalSocket;
import dev.ferry.vpn.ike.transport.TransportStats;
import dev.ferry.vpn.ike.transport.LoopbackIkeNetwork;
import dev.ferry.vpn.ike.transport.NetworkImpairments;
import dev.ferry.vpn.ike.transport.SimulatedNat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.ferry.vpn.core.config.KeyingTries;
import dev.ferry.vpn.core.config.PeerAction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Two IKE endpoints in one JVM over the loopback network, on a manual clock. */
class IkeEndpointExchangeTest {
  private static final IpAddress ALICE = IpAddress.parse("192.0.2.1");
  private static final IpAddress BOB = IpAddress.parse("198.51.100.7");

  private final ManualScheduler clock = new ManualScheduler();
  private LoopbackIkeNetwork network = new LoopbackIkeNetwork(LoopbackIkeNetwork.Delivery.QUEUED, 7);
  private final RecordingChildSaInstaller aliceSas = new RecordingChildSaInstaller();
  private final RecordingChildSaInstaller bobSas = new RecordingChildSaInstaller();
  private final List<IkeEvent> aliceEvents = new ArrayList<>();
  private final List<IkeEvent> bobEvents = new ArrayList<>();

  private static ImmutableIkePeerConfig.Builder config(String name, String localId,
      String remoteId, String psk, String ike, String esp, List<String> local,
      List<String> remote) {
    return IkePeerConfig.builder()
        .name(name)
        .localIdentity(Identity.parse(localId))
        .remoteIdentity(Identity.parse(remoteId))
        .presharedKey(Secret.ofUtf8(psk))
        .ikeProposals(ProposalList.parse(ike, Protocol.IKE))
        .espProposals(ProposalList.parse(esp, Protocol.ESP))
        .localSubnets(local.stream().map(IpPrefix::parse).toList())
        .remoteSubnets(remote.stream().map(IpPrefix::parse).toList());
  }

  private IkeEndpoint endpoint(IpAddress address, IkePeerConfig config, long seed,
      RecordingChildSaInstaller installer, List<IkeEvent> events) {
    return endpoint(address, config, seed, installer, events, HalfOpenPolicy.DEFAULT);
  }

  private IkeEndpoint endpoint(IpAddress address, IkePeerConfig config, long seed,
      RecordingChildSaInstaller installer, List<IkeEvent> events, HalfOpenPolicy halfOpen) {
    IkeEnvironment environment = new IkeEnvironment(
        new CryptoProvider(new DeterministicRandom(seed)), clock, clock, installer, events::add,
        Runnable::run, Runnable::run);
    return new IkeEndpoint(List.of(config), environment, halfOpen,
        handler -> network.open(IkeListenConfig.standard(address), handler, null));
  }

  private IkeEndpoint aliceEndpoint;
  private IkeEndpoint bobEndpoint;

  private void establish(IkePeerConfig alice, IkePeerConfig bob) {
    aliceEndpoint = endpoint(ALICE, alice, 1, aliceSas, aliceEvents);
    aliceEndpoint.initiate(alice, new UdpEndpoint(BOB, 500));
    bobEndpoint = endpoint(BOB, bob, 2, bobSas, bobEvents);
    runNetwork();
  }

  private static <T extends IkeEvent> List<T> events(List<IkeEvent> events, Class<T> kind) {
    return events.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  private void runNetwork() {
    for (int i = 0; i < 50; i++) {
      network.deliverAll();
      clock.advance(Duration.ofSeconds(1));
    }
  }

  private static final List<String> ALICE_NETS = List.of("10.1.0.0/16", "fd00:1::/64");
  private static final List<String> BOB_NETS = List.of("10.2.0.0/16", "10.3.0.0/24", "fd00:2::/64");
  private static final String GCM_IKE = "aes128gcm16-prfsha256-ecp256";

  private static IkePeerConfig alice(String psk, String ike, String esp, List<String> remote) {
    return config("alice", "alice.example", "bob.example", psk, ike, esp, ALICE_NETS, remote)
        .remoteGateway(new RemoteGateway.Address(BOB)).build();
  }

  private static IkePeerConfig bob(String psk, String ike, String esp) {
    return config("bob", "bob.example", "alice.example", psk, ike, esp, BOB_NETS, ALICE_NETS)
        .build();
  }

  @ParameterizedTest
  @CsvSource({
      "aes128gcm16-prfsha256-ecp256, aes128gcm16",
      "aes256-sha256-modp2048, aes256-sha256",
      "chacha20poly1305-prfsha256-x25519, chacha20poly1305"})
  void establishesWithEachProposalFamily_andInstallsMatchingChildSas(String ike, String esp) {
    IkePeerConfig alice = alice("shared secret 1", ike, esp, BOB_NETS);
    IkePeerConfig bob = bob("shared secret 1", ike, esp);

    establish(alice, bob);

    assertEquals(1, aliceSas.installed().size(), aliceEvents.toString());
    assertEquals(1, bobSas.installed().size(), bobEvents.toString());
    ChildSaSpec a = aliceSas.installed().get(0);
    ChildSaSpec b = bobSas.installed().get(0);
    assertEquals(a.inboundSpi(), b.outboundSpi());
    assertEquals(a.outboundSpi(), b.inboundSpi());
    assertEquals(a.outboundKeys(), b.inboundKeys());
    assertEquals(a.inboundKeys(), b.outboundKeys());
    assertEquals(esp, a.proposal().toString().replace("-noesn", ""));
    assertEquals(a.localSelectors(), b.remoteSelectors());
    assertEquals(List.of(TrafficSelector.of(IpPrefix.parse("10.1.0.0/16")),
        TrafficSelector.of(IpPrefix.parse("fd00:1::/64"))), a.localSelectors());
    assertEquals(3, a.remoteSelectors().size());
    assertFalse(a.udpEncapsulation());
    assertInstanceOf(IkeEvent.IkeSaUp.class, aliceEvents.get(0));
    assertTrue(bobEvents.stream().anyMatch(e -> e instanceof IkeEvent.IkeSaUp));
  }

  /** With immediate delivery the whole handshake runs inside initiate(), responses included. */
  @Test
  void establishesOverAnImmediateNetwork_whereResponsesArriveBeforeSendReturns() {
    network = new LoopbackIkeNetwork(LoopbackIkeNetwork.Delivery.IMMEDIATE, 7);
    IkePeerConfig alice = alice("k", GCM_IKE, "aes128gcm16", BOB_NETS);
    bobEndpoint = endpoint(BOB, bob("k", GCM_IKE, "aes128gcm16"), 2, bobSas, bobEvents);
    aliceEndpoint = endpoint(ALICE, alice, 1, aliceSas, aliceEvents);

    aliceEndpoint.initiate(alice, new UdpEndpoint(BOB, 500));

    assertPairedChildSa();
    assertTrue(events(aliceEvents, IkeEvent.IkeSaDown.class).isEmpty(), aliceEvents::toString);
  }

  @Test
  void responderAsksForItsGroupWithInvalidKe_andTheInitiatorRetries() {
    IkePeerConfig alice =
        alice("k", "aes128gcm16-prfsha256-ecp256-x25519", "aes128gcm16", BOB_NETS);
    IkePeerConfig bob = bob("k", "aes128gcm16-prfsha256-x25519", "aes128gcm16");

    establish(alice, bob);

    assertEquals(1, aliceSas.installed().size(), aliceEvents.toString());
    assertEquals("aes128gcm16-prfsha256-x25519",
        ((IkeEvent.IkeSaUp) aliceEvents.get(0)).sa().suite());
  }

  @Test
  void wrongPresharedKeyFailsOnBothSidesAsAuthenticationFailure_withoutRevealingTheKey() {
    IkePeerConfig alice = alice("right key", GCM_IKE, "aes128gcm16", BOB_NETS);
    IkePeerConfig bob = bob("wrong key", GCM_IKE, "aes128gcm16");

    establish(alice, bob);

    assertTrue(aliceSas.installed().isEmpty() && bobSas.installed().isEmpty());
    for (List<IkeEvent> events : List.of(aliceEvents, bobEvents)) {
      IkeEvent.IkeSaDown down = (IkeEvent.IkeSaDown) events.stream()
          .filter(e -> e instanceof IkeEvent.IkeSaDown).findFirst().orElseThrow();
      assertInstanceOf(CloseReason.AuthenticationFailed.class, down.reason());
      String message = down.reason().message();
      assertTrue(message.contains("192.0.2.1") || message.contains("198.51.100.7"), message);
      assertFalse(message.contains("right key") || message.contains("wrong key"), message);
    }
  }

  @Test
  void noCommonIkeProposal_isReportedAsNoProposalChosen() {
    IkePeerConfig alice = alice("k", "aes128-sha256-modp2048", "aes128gcm16", BOB_NETS);
    IkePeerConfig bob = bob("k", "aes256-sha256-modp2048", "aes128gcm16");

    establish(alice, bob);

    IkeEvent.IkeSaDown down = (IkeEvent.IkeSaDown) aliceEvents.get(0);
    CloseReason.ProtocolError error = assertInstanceOf(CloseReason.ProtocolError.class,
        down.reason());
    assertEquals("NO_PROPOSAL_CHOSEN", error.notifyType());
    assertTrue(error.sentByPeer());
  }

  @Test
  void disjointSubnets_failTheChildWithTsUnacceptable_butKeepTheIkeSa() {
    IkePeerConfig alice = alice("k", GCM_IKE, "aes128gcm16", List.of("10.9.0.0/16"));
    IkePeerConfig bob = bob("k", GCM_IKE, "aes128gcm16");

    establish(alice, bob);

    assertTrue(aliceSas.installed().isEmpty());
    IkeEvent.ChildSaFailed failed = (IkeEvent.ChildSaFailed) aliceEvents.stream()
        .filter(e -> e instanceof IkeEvent.ChildSaFailed).findFirst().orElseThrow();
    assertEquals("TS_UNACCEPTABLE",
        ((CloseReason.ProtocolError) failed.reason()).notifyType());
    assertTrue(aliceEvents.stream().noneMatch(e -> e instanceof IkeEvent.IkeSaDown));
  }

  @ParameterizedTest
  @CsvSource({"true, false", "false, true"})
  void forcedEncapsulationOnEitherSide_floatsTo4500WithUdpEncapsulatedEspWithoutANat(
      boolean initiatorForces, boolean responderForces) {
    // strongSwan's encap=yes: a random NAT_DETECTION_SOURCE_IP makes the peer see a NAT.
    establish(ImmutableIkePeerConfig.copyOf(alice("k", GCM_IKE, "aes128gcm16", BOB_NETS))
            .withForceEncapsulation(initiatorForces),
        ImmutableIkePeerConfig.copyOf(bob("k", GCM_IKE, "aes128gcm16"))
            .withForceEncapsulation(responderForces));
    assertPairedChildSa();
    ChildSaSpec a = aliceSas.installed().get(0);
    ChildSaSpec b = bobSas.installed().get(0);
    assertTrue(a.udpEncapsulation() && b.udpEncapsulation(), a + " / " + b);
    assertEquals(4500, a.remoteTunnelEndpoint().port());
    assertEquals(4500, b.remoteTunnelEndpoint().port());
  }

  @Test
  void natInFrontOfTheInitiator_isDetected_andIkeFloatsTo4500WithUdpEncapsulatedEsp() {
    IpAddress inside = IpAddress.parse("172.16.0.5");
    network.rewriteWith(new SimulatedNat(IpPrefix.parse("172.16.0.0/24"),
        IpAddress.parse("203.0.113.1"), 40000));
    IkePeerConfig alice = alice("k", GCM_IKE, "aes128gcm16", BOB_NETS);
    IkePeerConfig bob = bob("k", GCM_IKE, "aes128gcm16");
    IkeEnvironment aliceEnv = new IkeEnvironment(new CryptoProvider(new DeterministicRandom(1)),
        clock, clock, aliceSas, aliceEvents::add, Runnable::run, Runnable::run);
    SizeRecordingTransport[] aliceTransport = new SizeRecordingTransport[1];
    new IkeEndpoint(List.of(alice), aliceEnv, HalfOpenPolicy.DEFAULT, handler ->
        aliceTransport[0] = new SizeRecordingTransport(
            network.open(IkeListenConfig.standard(inside), handler, null)))
        .initiate(alice, new UdpEndpoint(BOB, 500));
    bobEndpoint = endpoint(BOB, bob, 2, bobSas, bobEvents);
    runNetwork();
    assertEquals(2, aliceTransport[0].keepalives, "RFC 3948 keepalives every 20 s");

    ChildSaSpec a = aliceSas.installed().get(0);
    ChildSaSpec b = bobSas.installed().get(0);
    assertTrue(a.udpEncapsulation() && b.udpEncapsulation());
    assertEquals(4500, a.remoteTunnelEndpoint().port());
    assertEquals(IpAddress.parse("203.0.113.1"), b.remoteTunnelEndpoint().address());
  }

  @Test
  void lossDuplicationAndReorderingStillConverge() {
    network = new LoopbackIkeNetwork(LoopbackIkeNetwork.Delivery.QUEUED, 11);
    network.impair(new NetworkImpairments(0.3, 0.3, 0.3));
    IkePeerConfig alice = alice("k", GCM_IKE, "aes128gcm16", BOB_NETS);
    IkePeerConfig bob = bob("k", GCM_IKE, "aes128gcm16");

    establish(alice, bob);

    assertEquals(1, aliceSas.installed().size(), aliceEvents.toString());
    assertEquals(1, bobSas.installed().size(), bobEvents.toString());
    assertEquals(aliceSas.installed().get(0).outboundKeys(),
        bobSas.installed().get(0).inboundKeys());
    LoopbackIkeNetwork.Stats stats = network.stats();
    assertTrue(stats.lost() > 0 && stats.duplicated() > 0 && stats.reordered() > 0, stats::toString);
  }

  @Test
  void unansweredRequestsAreRetransmittedWithBackoff_thenGivenUpAndReported() {
    IkePeerConfig alice = alice("k", GCM_IKE, "aes128gcm16", BOB_NETS);
    endpoint(ALICE, alice, 1, aliceSas, aliceEvents).initiate(alice, new UdpEndpoint(BOB, 500));
    network.deliverAll();
    clock.advance(Duration.ofSeconds(164));
    network.deliverAll();
    assertEquals(6, network.stats().sent(), "first send and 5 retransmits");
    assertTrue(aliceEvents.isEmpty());
    clock.advance(Duration.ofSeconds(2));
    IkeEvent.IkeSaDown down = (IkeEvent.IkeSaDown) aliceEvents.get(0);
    assertInstanceOf(CloseReason.Timeout.class, down.reason());
  }

  @Test
  void responderUnderLoadAsksForACookie_andTheInitiatorReturnsIt() {
    IkePeerConfig alice = alice("k", GCM_IKE, "aes128gcm16", BOB_NETS);
    IkePeerConfig bob = bob("k", GCM_IKE, "aes128gcm16");
    endpoint(ALICE, alice, 1, aliceSas, aliceEvents).initiate(alice, new UdpEndpoint(BOB, 500));
    IkeEndpoint responder = endpoint(BOB, bob, 2, bobSas, bobEvents, new HalfOpenPolicy(0, 10));

    network.deliverNext();
    assertEquals(List.of(), responder.ikeSas(), "the COOKIE answer keeps no state");
    network.deliverNext();
    network.deliverNext();
    assertEquals(1, responder.ikeSas().size(), "the request with the cookie creates the SA");
    runNetwork();

    assertEquals(1, aliceSas.installed().size(), aliceEvents.toString());
    assertEquals(1, bobSas.installed().size(), bobEvents.toString());
  }

  @Test
  void deletingTheIkeSa_removesItsChildSasOnBothSides() {
    establish(alice("k", GCM_IKE, "aes128gcm16", BOB_NETS), bob("k", GCM_IKE, "aes128gcm16"));
    long aliceSpi = aliceEndpoint.ikeSas().get(0).initiatorSpi();

    aliceEndpoint.delete(aliceSpi);
    runNetwork();

    assertEquals(List.of(), aliceSas.installed());
    assertEquals(List.of(), bobSas.installed());
    assertInstanceOf(CloseReason.Requested.class,
        events(aliceEvents, IkeEvent.IkeSaDown.class).get(0).reason());
    assertInstanceOf(CloseReason.PeerDeleted.class,
        events(bobEvents, IkeEvent.IkeSaDown.class).get(0).reason());
    assertEquals(List.of(), aliceEndpoint.ikeSas());
    assertEquals(List.of(), bobEndpoint.ikeSas());
  }

  @ParameterizedTest
  @CsvSource({"true", "false"})
  void gracefulClose_deletesEveryIkeSaWithThePeer_thenCloses(boolean initiatorCloses) {
    establish(alice("k", GCM_IKE, "aes128gcm16", BOB_NETS), bob("k", GCM_IKE, "aes128gcm16"));
    aliceEndpoint.createChild(aliceEndpoint.ikeSas().get(0).initiatorSpi());
    runNetwork();
    assertEquals(2, bobSas.installed().size());
    IkeEndpoint closer = initiatorCloses ? aliceEndpoint : bobEndpoint;
    List<IkeEvent> peerEvents = initiatorCloses ? bobEvents : aliceEvents;
    long sentBefore = network.stats().sent();

    java.util.concurrent.CompletableFuture<Void> closed = closer.closeGracefully(
        Duration.ofSeconds(10));
    assertFalse(closed.isDone(), "waits for the peer's answer");
    network.deliverAll();
    network.deliverAll();

    assertTrue(closed.isDone());
    assertEquals(2, network.stats().sent() - sentBefore, "one DELETE request, one response");
    assertEquals(List.of(), aliceEndpoint.ikeSas());
    assertEquals(List.of(), bobEndpoint.ikeSas());
    assertEquals(List.of(), aliceSas.installed());
    assertEquals(List.of(), bobSas.installed());
    assertInstanceOf(CloseReason.PeerDeleted.class,
        events(peerEvents, IkeEvent.IkeSaDown.class).get(0).reason());
    assertEquals(2, events(peerEvents, IkeEvent.ChildSaDeleted.class).size());
  }

  @Test
  void gracefulClose_givesUpOnASilentPeerAfterTheTimeout() {
    establish(alice("k", GCM_IKE, "aes128gcm16", BOB_NETS), bob("k", GCM_IKE, "aes128gcm16"));
    network.impair(new NetworkImpairments(1.0, 0, 0));

    java.util.concurrent.CompletableFuture<Void> closed = aliceEndpoint.closeGracefully(
        Duration.ofSeconds(3));
    clock.advance(Duration.ofSeconds(2));
    assertFalse(closed.isDone());
    clock.advance(Duration.ofSeconds(1));

    assertTrue(closed.isDone());
    assertEquals(List.of(), aliceEndpoint.ikeSas());
    assertEquals(List.of(), aliceSas.installed());
    assertInstanceOf(CloseReason.Requested.class,
        events(aliceEvents, IkeEvent.IkeSaDown.class).get(0).reason());
    aliceEndpoint.initiate(alice("k", GCM_IKE, "aes128gcm16", BOB_NETS),
        new UdpEndpoint(BOB, 500));
    assertEquals(List.of(), aliceEndpoint.ikeSas(), "a closed endpoint initiates nothing");
  }

  /**
   * RFC 7296 section 1.4.1: when both peers delete the IKE SA at once, each answers the other's
   * DELETE and considers the SA gone; its own request may stay unanswered. QUEUED delivery puts
   * both requests in flight before either arrives.
   */
  @ParameterizedTest
  @CsvSource({"true", "false"})
  void simultaneousDeleteByBothPeers_closesBothCleanly(boolean graceful) {
    establish(alice("k", GCM_IKE, "aes128gcm16", BOB_NETS), bob("k", GCM_IKE, "aes128gcm16"));
    long aliceSpi = aliceEndpoint.ikeSas().get(0).initiatorSpi();
    long bobSpi = bobEndpoint.ikeSas().get(0).responderSpi();

    List<java.util.concurrent.CompletableFuture<Void>> closing = new ArrayList<>();
    for (IkeEndpoint side : List.of(aliceEndpoint, bobEndpoint)) {
      if (graceful) {
        closing.add(side.closeGracefully(Duration.ofSeconds(10)));
      } else {
        side.delete(side == aliceEndpoint ? aliceSpi : bobSpi);
      }
    }
    assertEquals(2, network.pending(), "both DELETE requests are in flight");
    runNetwork();

    closing.forEach(f -> assertTrue(f.isDone()));
    for (List<IkeEvent> events : List.of(aliceEvents, bobEvents)) {
      List<IkeEvent.IkeSaDown> down = events(events, IkeEvent.IkeSaDown.class);
      assertEquals(1, down.size(), down.toString());
      assertTrue(down.get(0).reason() instanceof CloseReason.Requested
          || down.get(0).reason() instanceof CloseReason.PeerDeleted, down.toString());
    }
    assertEquals(List.of(), aliceEndpoint.ikeSas());
    assertEquals(List.of(), bobEndpoint.ikeSas());
    assertEquals(List.of(), aliceSas.installed());
    assertEquals(List.of(), bobSas.installed());
  }

  /**
   * RFC 7296 section 2.15: two initiators behind one NAT share an address, so IKE_SA_INIT can
   * only pick the responder's first configuration; IKE_AUTH switches to the one expecting the
   * initiator's identity, with its own key and subnets.
   */
  @Test
  void responderPicksTheConfigurationByTheInitiatorsIdentity_forPeersBehindOneAddress() {
    network.rewriteWith(new SimulatedNat(IpPrefix.parse("172.16.0.0/24"),
        IpAddress.parse("203.0.113.1"), 40000));
    IkePeerConfig carolAtBob = config("carol-conn", "bob.example", "carol.example", "carol key",
        GCM_IKE, "aes128gcm16", List.of("10.2.0.0/16"), List.of("10.7.0.0/16")).build();
    IkePeerConfig aliceAtBob = config("alice-conn", "bob.example", "alice.example", "alice key",
        GCM_IKE, "aes128gcm16", List.of("10.3.0.0/24"), ALICE_NETS).build();
    IkePeerConfig alice = config("alice", "alice.example", "bob.example", "alice key", GCM_IKE,
        "aes128gcm16", ALICE_NETS, List.of("10.3.0.0/24")).build();
    IkePeerConfig carol = config("carol", "carol.example", "bob.example", "carol key", GCM_IKE,
        "aes128gcm16", List.of("10.7.0.0/16"), List.of("10.2.0.0/16")).build();
    RecordingChildSaInstaller carolSas = new RecordingChildSaInstaller();
    endpoint(IpAddress.parse("172.16.0.5"), alice, 1, aliceSas, aliceEvents)
        .initiate(alice, new UdpEndpoint(BOB, 500));
    endpoint(IpAddress.parse("172.16.0.6"), carol, 3, carolSas, new ArrayList<>())
        .initiate(carol, new UdpEndpoint(BOB, 500));
    IkeEnvironment bobEnv = new IkeEnvironment(new CryptoProvider(new DeterministicRandom(2)),
        clock, clock, bobSas, bobEvents::add, Runnable::run, Runnable::run);
    bobEndpoint = new IkeEndpoint(List.of(carolAtBob, aliceAtBob), bobEnv,
        HalfOpenPolicy.DEFAULT,
        handler -> network.open(IkeListenConfig.standard(BOB), handler, null));
    runNetwork();

    List<IkeEvent.IkeSaUp> ups = events(bobEvents, IkeEvent.IkeSaUp.class);
    assertEquals(java.util.Set.of("carol-conn", "alice-conn"),
        ups.stream().map(IkeEvent.IkeSaUp::connection).collect(java.util.stream.Collectors.toSet()));
    assertTrue(ups.stream().allMatch(up -> up.peer().address().equals(
        IpAddress.parse("203.0.113.1"))), ups::toString);
    assertEquals(2, bobSas.installed().size());
    ChildSaSpec toAlice = bobSas.byInboundSpi(aliceSas.installed().get(0).outboundSpi())
        .orElseThrow();
    assertEquals(List.of(TrafficSelector.of(IpPrefix.parse("10.3.0.0/24"))),
        toAlice.localSelectors());
    ChildSaSpec toCarol = bobSas.byInboundSpi(carolSas.installed().get(0).outboundSpi())
        .orElseThrow();
    assertEquals(List.of(TrafficSelector.of(IpPrefix.parse("10.2.0.0/16"))),
        toCarol.localSelectors());
    assertTrue(events(bobEvents, IkeEvent.IkeSaDown.class).isEmpty(), bobEvents::toString);
  }

  @Test
  void deletingAChildSa_keepsTheIkeSa() {
    establish(alice("k", GCM_IKE, "aes128gcm16", BOB_NETS), bob("k", GCM_IKE, "aes128gcm16"));
    int inbound = aliceSas.installed().get(0).inboundSpi();

    aliceEndpoint.deleteChild(inbound);
    runNetwork();

    assertEquals(List.of(), aliceSas.installed());
    assertEquals(List.of(), bobSas.installed());
    assertEquals(1, events(bobEvents, IkeEvent.ChildSaDeleted.class).size());
    assertEquals(Optional.of(IkeSaState.ESTABLISHED),
        aliceEndpoint.state(aliceEndpoint.ikeSas().get(0).initiatorSpi()));
  }

  @Test
  void livenessChecksKeepAHealthyTunnelUp() {
    establish(alice("k", GCM_IKE, "aes128gcm16", BOB_NETS), bob("k", GCM_IKE, "aes128gcm16"));
    long before = network.stats().sent();

    for (int i = 0; i < 300; i++) {
      network.deliverAll();
      clock.advance(Duration.ofSeconds(1));
    }

    assertTrue(network.stats().sent() >= before + 4 * 2, "DPD requests and responses flowed");
    assertTrue(events(aliceEvents, IkeEvent.IkeSaDown.class).isEmpty(), aliceEvents::toString);
    assertEquals(1, aliceSas.installed().size());
  }

  @ParameterizedTest
  @CsvSource({"CLEAR, 0", "HOLD, 0", "RESTART, 1"})
  void deadPeerIsDetected_andDpdActionDecidesWhetherToRestart(PeerAction action, int restarts) {
    IkePeerConfig alice = ImmutableIkePeerConfig.copyOf(
        alice("k", GCM_IKE, "aes128gcm16", BOB_NETS)).withDpdAction(action);
    establish(alice, bob("k", GCM_IKE, "aes128gcm16"));
    network.impair(new NetworkImpairments(1.0, 0, 0));

    clock.advance(Duration.ofSeconds(30 + 166));

    IkeEvent.IkeSaDown down = events(aliceEvents, IkeEvent.IkeSaDown.class).get(0);
    assertInstanceOf(CloseReason.Timeout.class, down.reason());
    assertEquals(List.of(), aliceSas.installed());
    assertEquals(restarts, aliceEndpoint.ikeSas().size(), "a new IKE SA is being set up");
  }

  private static void assertMakeBeforeBreak(RecordingChildSaInstaller installer, int oldSpi,
      int newSpi) {
    List<RecordingChildSaInstaller.Operation> ops = installer.operations();
    int newOutbound = ops.indexOf(new RecordingChildSaInstaller.Operation(
        RecordingChildSaInstaller.Operation.Kind.INSTALL_OUTBOUND, newSpi));
    int oldRemoved = ops.indexOf(new RecordingChildSaInstaller.Operation(
        RecordingChildSaInstaller.Operation.Kind.REMOVE, oldSpi));
    assertTrue(newOutbound >= 0 && oldRemoved > newOutbound, ops::toString);
  }

  private void assertPairedChildSa() {
    assertEquals(1, aliceSas.installed().size(), aliceSas.operations()::toString);
    assertEquals(1, bobSas.installed().size(), bobSas.operations()::toString);
    ChildSaSpec a = aliceSas.installed().get(0);
    ChildSaSpec b = bobSas.installed().get(0);
    assertEquals(a.inboundSpi(), b.outboundSpi());
    assertEquals(a.outboundKeys(), b.inboundKeys());
    assertEquals(a.inboundKeys(), b.outboundKeys());
  }

  @ParameterizedTest
  @CsvSource({"aes128gcm16, false, true", "aes128gcm16-ecp256, true, true",
      "aes256-sha256-modp2048, true, false", "chacha20poly1305, false, false"})
  void childRekey_installsTheNewSaBeforeRemovingTheOld_inBothRoles(String esp, boolean pfs,
      boolean initiatorRekeys) {
    establish(alice("k", GCM_IKE, esp, BOB_NETS), bob("k", GCM_IKE, esp));
    ChildSaSpec oldAlice = aliceSas.installed().get(0);
    ChildSaSpec oldBob = bobSas.installed().get(0);

    if (initiatorRekeys) {
      aliceEndpoint.rekeyChild(oldAlice.inboundSpi());
    } else {
      bobEndpoint.rekeyChild(oldBob.inboundSpi());
    }
    runNetwork();

    assertPairedChildSa();
    ChildSaSpec newAlice = aliceSas.installed().get(0);
    assertEquals(pfs, newAlice.perfectForwardSecrecy());
    assertFalse(newAlice.inboundKeys().equals(oldAlice.inboundKeys()));
    assertMakeBeforeBreak(aliceSas, oldAlice.inboundSpi(), newAlice.inboundSpi());
    assertMakeBeforeBreak(bobSas, oldBob.inboundSpi(), bobSas.installed().get(0).inboundSpi());
    assertEquals(1, events(aliceEvents, IkeEvent.ChildSaRekeyed.class).size());
    assertEquals(1, events(bobEvents, IkeEvent.ChildSaRekeyed.class).size());
  }

  @Test
  void additionalChildSa_isCreatedWithCreateChildSa() {
    establish(alice("k", GCM_IKE, "aes128gcm16", BOB_NETS), bob("k", GCM_IKE, "aes128gcm16"));

    aliceEndpoint.createChild(aliceEndpoint.ikeSas().get(0).initiatorSpi());
    runNetwork();

    assertEquals(2, aliceSas.installed().size());
    assertEquals(2, bobSas.installed().size());
    ChildSaSpec second = aliceSas.installed().get(1);
    assertEquals(second.outboundKeys(),
        bobSas.byInboundSpi(second.outboundSpi()).orElseThrow().inboundKeys());
  }

  @Test
  void childLifetimeDrivesRekeysBeforeExpiry() {
    IkePeerConfig alice = ImmutableIkePeerConfig.copyOf(alice("k", GCM_IKE, "aes128gcm16",
        BOB_NETS)).withChildLifetime(Duration.ofMinutes(10)).withMarginTime(Duration.ofMinutes(1));
    IkePeerConfig bob = ImmutableIkePeerConfig.copyOf(bob("k", GCM_IKE, "aes128gcm16"))
        .withChildLifetime(Duration.ofMinutes(10)).withMarginTime(Duration.ofMinutes(1));
    establish(alice, bob);

    for (int i = 0; i < 60 * 25; i++) {
      network.deliverAll();
      clock.advance(Duration.ofSeconds(1));
    }

    assertPairedChildSa();
    int rekeys = events(aliceEvents, IkeEvent.ChildSaRekeyed.class).size();
    assertTrue(rekeys >= 2, "rekeyed " + rekeys + " times in 25 minutes");
    assertTrue(events(aliceEvents, IkeEvent.ChildSaDeleted.class).size() >= 2);
  }

  @ParameterizedTest
  @CsvSource({"aes128gcm16", "aes128gcm16-ecp256"})
  void simultaneousRekeyByBothPeers_leavesExactlyOnePair(String esp) {
    establish(alice("k", GCM_IKE, esp, BOB_NETS), bob("k", GCM_IKE, esp));
    ChildSaSpec oldAlice = aliceSas.installed().get(0);

    // RFC 7296 section 2.8.1: both requests cross on the wire.
    aliceEndpoint.rekeyChild(oldAlice.inboundSpi());
    bobEndpoint.rekeyChild(bobSas.installed().get(0).inboundSpi());
    runNetwork();

    assertPairedChildSa();
    assertTrue(aliceSas.byInboundSpi(oldAlice.inboundSpi()).isEmpty());
    assertEquals(2, events(aliceEvents, IkeEvent.ChildSaRekeyed.class).size(),
        "one rekey initiated by each side");
    assertEquals(2, events(aliceEvents, IkeEvent.ChildSaDeleted.class).size(),
        "the old SA and the redundant new one");
  }

  /** Delegates to a loopback transport and remembers the largest IKE message sent. */
  private static final class SizeRecordingTransport implements IkeUdpTransport {
    private final IkeUdpTransport delegate;
    int largest;
    int keepalives;

    SizeRecordingTransport(IkeUdpTransport delegate) {
      this.delegate = delegate;
    }

    @Override
    public void send(UdpEndpoint local, UdpEndpoint remote, byte[] message) {
      largest = Math.max(largest, message.length);
      delegate.send(local, remote, message);
    }

    @Override
    public List<UdpEndpoint> localEndpoints() {
      return delegate.localEndpoints();
    }

    @Override
    public void close() {
      delegate.close();
    }

    @Override
    public List<LocalSocket> localSockets() {
      return delegate.localSockets();
    }

    @Override
    public void sendKeepalive(UdpEndpoint local, UdpEndpoint remote) {
      keepalives++;
      delegate.sendKeepalive(local, remote);
    }

    @Override
    public void sendEsp(UdpEndpoint local, UdpEndpoint remote, byte[] buf, int off, int len) {
      delegate.sendEsp(local, remote, buf, off, len);
    }

    @Override
    public void flushEsp() {
      delegate.flushEsp();
    }

    @Override
    public TransportStats stats() {
      return delegate.stats();
    }
  }

  @Test
  void messagesLargerThanTheFragmentSizeTravelAsRfc7383Fragments() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      many.add("fd00:2:" + Integer.toHexString(i) + "::/64");
    }
    IkePeerConfig alice = ImmutableIkePeerConfig.copyOf(alice("k", GCM_IKE, "aes128gcm16", many))
        .withFragmentSize(576);
    IkePeerConfig bob = ImmutableIkePeerConfig.copyOf(config("bob", "bob.example",
        "alice.example", "k", GCM_IKE, "aes128gcm16", many, ALICE_NETS).build())
        .withFragmentSize(576);
    SizeRecordingTransport[] sent = new SizeRecordingTransport[2];
    IkeEnvironment aliceEnv = new IkeEnvironment(new CryptoProvider(new DeterministicRandom(1)),
        clock, clock, aliceSas, aliceEvents::add, Runnable::run, Runnable::run);
    IkeEnvironment bobEnv = new IkeEnvironment(new CryptoProvider(new DeterministicRandom(2)),
        clock, clock, bobSas, bobEvents::add, Runnable::run, Runnable::run);
    new IkeEndpoint(List.of(alice), aliceEnv, HalfOpenPolicy.DEFAULT, handler -> sent[0] =
        new SizeRecordingTransport(network.open(IkeListenConfig.standard(ALICE), handler, null)))
        .initiate(alice, new UdpEndpoint(BOB, 500));
    new IkeEndpoint(List.of(bob), bobEnv, HalfOpenPolicy.DEFAULT, handler -> sent[1] =
        new SizeRecordingTransport(network.open(IkeListenConfig.standard(BOB), handler, null)));
    runNetwork();

    assertPairedChildSa();
    assertEquals(40, aliceSas.installed().get(0).remoteSelectors().size());
    assertTrue(sent[0].largest <= 576 && sent[1].largest <= 576,
        sent[0].largest + " / " + sent[1].largest);
  }

  @ParameterizedTest
  @CsvSource({"aes128gcm16-prfsha256-ecp256, true", "aes256-sha256-modp2048, false",
      "chacha20poly1305-prfsha256-x25519, true"})
  void ikeRekey_movesChildSasToTheNewIkeSa_whichThenWorks(String ike, boolean initiatorRekeys) {
    establish(alice("k", ike, "aes128gcm16", BOB_NETS), bob("k", ike, "aes128gcm16"));
    IkeSaInfo oldAlice = aliceEndpoint.ikeSas().get(0);
    IkeSaInfo oldBob = bobEndpoint.ikeSas().get(0);

    if (initiatorRekeys) {
      aliceEndpoint.rekeyIke(oldAlice.initiatorSpi());
    } else {
      bobEndpoint.rekeyIke(oldBob.responderSpi());
    }
    runNetwork();

    assertEquals(1, aliceEndpoint.ikeSas().size());
    assertEquals(1, bobEndpoint.ikeSas().size());
    IkeSaInfo fresh = aliceEndpoint.ikeSas().get(0);
    assertFalse(fresh.initiatorSpi() == oldAlice.initiatorSpi());
    assertEquals(initiatorRekeys, fresh.initiator(), "the rekey initiator initiates the new SA");
    assertEquals(1, events(aliceEvents, IkeEvent.IkeSaRekeyed.class).size());
    assertEquals(1, events(bobEvents, IkeEvent.IkeSaRekeyed.class).size());
    assertTrue(events(aliceEvents, IkeEvent.IkeSaDown.class).isEmpty(), aliceEvents::toString);
    assertTrue(events(bobEvents, IkeEvent.IkeSaDown.class).isEmpty(), bobEvents::toString);
    assertPairedChildSa();
    assertTrue(aliceSas.operations().stream()
        .noneMatch(op -> op.kind() == RecordingChildSaInstaller.Operation.Kind.REMOVE));

    // The new IKE SA's keys agree: a CHILD rekey through it succeeds.
    aliceEndpoint.rekeyChild(aliceSas.installed().get(0).inboundSpi());
    runNetwork();
    assertPairedChildSa();
    assertEquals(1, events(aliceEvents, IkeEvent.ChildSaRekeyed.class).size());
  }

  @Test
  void ikeLifetimeDrivesIkeRekeysBeforeExpiry() {
    IkePeerConfig alice = ImmutableIkePeerConfig.copyOf(alice("k", GCM_IKE, "aes128gcm16",
        BOB_NETS)).withIkeLifetime(Duration.ofMinutes(20)).withMarginTime(Duration.ofMinutes(2));
    IkePeerConfig bob = ImmutableIkePeerConfig.copyOf(bob("k", GCM_IKE, "aes128gcm16"))
        .withIkeLifetime(Duration.ofMinutes(20)).withMarginTime(Duration.ofMinutes(2));
    establish(alice, bob);

    for (int i = 0; i < 60 * 45; i++) {
      network.deliverAll();
      clock.advance(Duration.ofSeconds(1));
    }

    assertTrue(events(aliceEvents, IkeEvent.IkeSaRekeyed.class).size() >= 2, aliceEvents::toString);
    assertEquals(1, aliceEndpoint.ikeSas().size());
    assertEquals(1, bobEndpoint.ikeSas().size());
    assertTrue(events(aliceEvents, IkeEvent.IkeSaDown.class).isEmpty(), aliceEvents::toString);
    assertPairedChildSa();
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "192.0.2.1; 198.51.100.7", "2001:db8::1; 2001:db8::7", "alice@example.com; bob@example.com",
      "keyid:#a1b2c3; keyid:#d4e5f6", "C=CH, O=Example, CN=alice; C=CH, O=Example, CN=bob"})
  void authenticatesWithEveryIdentityType(String aliceId, String bobId) {
    IkePeerConfig alice = config("alice", aliceId, bobId, "k", GCM_IKE, "aes128gcm16",
        ALICE_NETS, BOB_NETS).remoteGateway(new RemoteGateway.Address(BOB)).build();
    IkePeerConfig bob = config("bob", bobId, aliceId, "k", GCM_IKE, "aes128gcm16", BOB_NETS,
        ALICE_NETS).build();

    establish(alice, bob);

    assertPairedChildSa();
  }

  @Test
  void unexpectedPeerIdentityIsAnAuthenticationFailureNamingTheIdentity() {
    IkePeerConfig alice = alice("k", GCM_IKE, "aes128gcm16", BOB_NETS);
    IkePeerConfig bob = config("bob", "bob.example", "mallory.example", "k", GCM_IKE,
        "aes128gcm16", BOB_NETS, ALICE_NETS).build();

    establish(alice, bob);

    CloseReason reason = events(bobEvents, IkeEvent.IkeSaDown.class).get(0).reason();
    assertInstanceOf(CloseReason.AuthenticationFailed.class, reason);
    assertTrue(reason.message().contains("alice.example"), reason.message());
    assertInstanceOf(CloseReason.AuthenticationFailed.class,
        events(aliceEvents, IkeEvent.IkeSaDown.class).get(0).reason());
  }

  @ParameterizedTest
  @CsvSource({"3, 3", "0, 5"})
  void keyingTriesBoundTheReinitiationsWithBackoff(int keyingTries, int expectedFailures) {
    IkePeerConfig alice = ImmutableIkePeerConfig.copyOf(alice("k", GCM_IKE, "aes128gcm16",
        BOB_NETS)).withKeyingTries(new KeyingTries(keyingTries));
    aliceEndpoint = endpoint(ALICE, alice, 1, aliceSas, aliceEvents);
    aliceEndpoint.initiate(alice, new UdpEndpoint(BOB, 500));

    // Attempts fail after 165 s each; backoffs are 4, 8, 16, 32 s.
    clock.advance(Duration.ofSeconds(5 * 165 + 4 + 8 + 16 + 32 + 1));

    List<IkeEvent.IkeSaDown> downs = events(aliceEvents, IkeEvent.IkeSaDown.class);
    assertEquals(expectedFailures, downs.size());
    assertTrue(downs.stream().allMatch(d -> d.reason() instanceof CloseReason.Timeout));
    clock.advance(Duration.ofSeconds(64));
    assertEquals(keyingTries == 0 ? 1 : 0, aliceEndpoint.ikeSas().size(),
        "only %forever starts a sixth attempt after 64 s");
  }

  @Test
  void authenticationFailuresAreNotRetried() {
    IkePeerConfig alice = ImmutableIkePeerConfig.copyOf(alice("right", GCM_IKE, "aes128gcm16",
        BOB_NETS)).withKeyingTries(KeyingTries.FOREVER);
    establish(alice, bob("wrong", GCM_IKE, "aes128gcm16"));
    clock.advance(Duration.ofMinutes(10));
    assertEquals(List.of(), aliceEndpoint.ikeSas());
    assertEquals(1, events(aliceEvents, IkeEvent.IkeSaDown.class).size());
  }

  @Test
  void initialContactMakesTheResponderDropOlderSasOfThatPeer() {
    IkePeerConfig alice = alice("k", GCM_IKE, "aes128gcm16", BOB_NETS);
    establish(alice, bob("k", GCM_IKE, "aes128gcm16"));
    int firstChild = bobSas.installed().get(0).inboundSpi();

    aliceEndpoint.initiate(alice, new UdpEndpoint(BOB, 500));
    runNetwork();

    assertEquals(1, bobEndpoint.ikeSas().size());
    assertEquals(1, bobSas.installed().size());
    assertTrue(bobSas.byInboundSpi(firstChild).isEmpty());
    assertInstanceOf(CloseReason.Superseded.class,
        events(bobEvents, IkeEvent.IkeSaDown.class).get(0).reason());
  }

  /**
   * RFC 7296 section 2.8.2: both peers rekey the IKE SA at once and the requests cross. The seeds
   * give each side the lowest nonce once, so both roles of the rule run: the new SA whose
   * exchange used the lowest of the four nonces is deleted by its creator, the other one inherits
   * the CHILD SAs, and its initiator deletes the old SA.
   */
  @ParameterizedTest
  @CsvSource({"1, 2", "1, 3"})
  void simultaneousIkeRekeys_keepExactlyOneNewSa_chosenByTheNonceRule(long aliceSeed,
      long bobSeed) {
    IkePeerConfig alice = alice("k", GCM_IKE, "aes128gcm16", BOB_NETS);
    aliceEndpoint = endpoint(ALICE, alice, aliceSeed, aliceSas, aliceEvents);
    aliceEndpoint.initiate(alice, new UdpEndpoint(BOB, 500));
    bobEndpoint = endpoint(BOB, bob("k", GCM_IKE, "aes128gcm16"), bobSeed, bobSas, bobEvents);
    runNetwork();
    IkeSaInfo old = aliceEndpoint.ikeSas().get(0);
    long sentBefore = network.stats().sent();

    aliceEndpoint.rekeyIke(old.initiatorSpi());
    bobEndpoint.rekeyIke(bobEndpoint.ikeSas().get(0).responderSpi());
    for (int i = 0; i < 5; i++) {
      network.deliverAll();
    }

    assertEquals(1, aliceEndpoint.ikeSas().size(), aliceEndpoint.ikeSas()::toString);
    assertEquals(1, bobEndpoint.ikeSas().size(), bobEndpoint.ikeSas()::toString);
    IkeSaInfo aliceView = aliceEndpoint.ikeSas().get(0);
    IkeSaInfo bobView = bobEndpoint.ikeSas().get(0);
    assertEquals(aliceView.initiatorSpi(), bobView.initiatorSpi());
    assertEquals(aliceView.responderSpi(), bobView.responderSpi());
    assertEquals(!aliceView.initiator(), bobView.initiator());
    assertFalse(aliceView.initiatorSpi() == old.initiatorSpi());
    assertEquals(8, network.stats().sent() - sentBefore,
        "two crossing CREATE_CHILD_SA exchanges, the redundant SA's delete, the old SA's delete");
    for (List<IkeEvent> events : List.of(aliceEvents, bobEvents)) {
      assertEquals(1, events(events, IkeEvent.IkeSaRekeyed.class).size(), events::toString);
      assertTrue(events(events, IkeEvent.IkeSaDown.class).isEmpty(), events::toString);
      assertTrue(events(events, IkeEvent.ChildSaFailed.class).isEmpty(), events::toString);
    }
    assertPairedChildSa();
    assertTrue(aliceSas.operations().stream()
        .noneMatch(op -> op.kind() == RecordingChildSaInstaller.Operation.Kind.REMOVE));
    survivorInitiators.add(aliceView.initiator() ? "alice" : "bob");

    // The survivor works: a CHILD rekey runs through it.
    aliceEndpoint.rekeyChild(aliceSas.installed().get(0).inboundSpi());
    runNetwork();
    assertPairedChildSa();
    assertEquals(1, events(aliceEvents, IkeEvent.ChildSaRekeyed.class).size());
  }

  /** Which side initiated the surviving SA, over the seed pairs above: both must occur. */
  private static final java.util.Set<String> survivorInitiators =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  @org.junit.jupiter.api.AfterAll
  static void bothSidesWonASimultaneousRekeyOnce() {
    if (!survivorInitiators.isEmpty()) {
      assertEquals(java.util.Set.of("alice", "bob"), survivorInitiators);
    }
  }

  @Test
  void halfOpenLimitDropsFurtherIkeSaInitRequests() {
    IpAddress carol = IpAddress.parse("192.0.2.3");
    IkePeerConfig alice = alice("k", GCM_IKE, "aes128gcm16", BOB_NETS);
    IkeEndpoint responder = endpoint(BOB, bob("k", GCM_IKE, "aes128gcm16"), 2, bobSas, bobEvents,
        new HalfOpenPolicy(1, 1));
    endpoint(ALICE, alice, 1, aliceSas, aliceEvents).initiate(alice, new UdpEndpoint(BOB, 500));
    endpoint(carol, alice, 3, new RecordingChildSaInstaller(), new ArrayList<>())
        .initiate(alice, new UdpEndpoint(BOB, 500));

    network.deliverNext();
    network.deliverNext();

    assertEquals(1, responder.ikeSas().size(), "the second IKE_SA_INIT found no room");
    assertEquals(3, network.stats().sent(), "two requests, one answer, not even a COOKIE");
  }

  @Test
  void aThrowingListenerDoesNotBreakTheProtocol() {
    IkePeerConfig alice = alice("k", GCM_IKE, "aes128gcm16", BOB_NETS);
    IkeEnvironment throwing = new IkeEnvironment(new CryptoProvider(new DeterministicRandom(1)),
        clock, clock, aliceSas, event -> {
          throw new IllegalStateException("listener bug");
        }, Runnable::run, Runnable::run);
    new IkeEndpoint(List.of(alice), throwing, HalfOpenPolicy.DEFAULT,
        handler -> network.open(IkeListenConfig.standard(ALICE), handler, null))
        .initiate(alice, new UdpEndpoint(BOB, 500));
    endpoint(BOB, bob("k", GCM_IKE, "aes128gcm16"), 2, bobSas, bobEvents);
    runNetwork();
    assertPairedChildSa();
  }

  @Test
  void noCommonEspProposal_failsTheChildWithNoProposalChosen_butKeepsTheIkeSa() {
    establish(alice("k", GCM_IKE, "aes256gcm16", BOB_NETS), bob("k", GCM_IKE, "aes128gcm16"));

    assertTrue(aliceSas.installed().isEmpty() && bobSas.installed().isEmpty());
    CloseReason.ProtocolError error = (CloseReason.ProtocolError)
        events(aliceEvents, IkeEvent.ChildSaFailed.class).get(0).reason();
    assertEquals("NO_PROPOSAL_CHOSEN", error.notifyType());
    assertTrue(error.sentByPeer());
    assertEquals(1, events(aliceEvents, IkeEvent.IkeSaUp.class).size());
  }

  @Test
  void pfsRekeyFollowsInvalidKePayloadToTheResponderGroup() {
    establish(alice("k", GCM_IKE, "aes128gcm16-ecp256-x25519", BOB_NETS),
        bob("k", GCM_IKE, "aes128gcm16-x25519"));

    aliceEndpoint.rekeyChild(aliceSas.installed().get(0).inboundSpi());
    runNetwork();

    assertPairedChildSa();
    assertEquals("aes128gcm16-x25519-noesn", aliceSas.installed().get(0).proposal().toString());
  }
}
