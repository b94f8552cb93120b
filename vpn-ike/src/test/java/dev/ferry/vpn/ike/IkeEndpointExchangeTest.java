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
import dev.ferry.vpn.core.config.PeerAction;
import dev.ferry.vpn.ike.sa.IkeSaState;
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

  @Test
  void natInFrontOfTheInitiator_isDetected_andIkeFloatsTo4500WithUdpEncapsulatedEsp() {
    IpAddress inside = IpAddress.parse("172.16.0.5");
    network.rewriteWith(new SimulatedNat(IpPrefix.parse("172.16.0.0/24"),
        IpAddress.parse("203.0.113.1"), 40000));
    IkePeerConfig alice = alice("k", GCM_IKE, "aes128gcm16", BOB_NETS);
    IkePeerConfig bob = bob("k", GCM_IKE, "aes128gcm16");
    endpoint(inside, alice, 1, aliceSas, aliceEvents).initiate(alice, new UdpEndpoint(BOB, 500));
    endpoint(BOB, bob, 2, bobSas, bobEvents);
    runNetwork();

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
      delegate.sendKeepalive(local, remote);
    }

    @Override
    public void sendEsp(UdpEndpoint local, UdpEndpoint remote, byte[] buf, int off, int len) {
      delegate.sendEsp(local, remote, buf, off, len);
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
}
