package dev.ferry.vpn.ike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.config.Identity;
import dev.ferry.vpn.core.config.PeerAction;
import dev.ferry.vpn.core.config.RemoteGateway;
import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.proposal.ProposalList;
import dev.ferry.vpn.core.proposal.Protocol;
import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.core.sa.SaLifetime;
import dev.ferry.vpn.core.time.ManualScheduler;
import dev.ferry.vpn.esp.EspStats;
import dev.ferry.vpn.esp.OutboundSa;
import dev.ferry.vpn.esp.SaStore;
import dev.ferry.vpn.ike.transport.IkeListenConfig;
import dev.ferry.vpn.ike.transport.LoopbackIkeNetwork;
import dev.ferry.vpn.ike.transport.NetworkImpairments;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two IKE endpoints in one JVM, each installing into a real ESP {@link SaStore} whose lifetime
 * events reach the endpoint through a {@link DataPlaneLifetimeBridge}: byte and packet limits
 * drive CHILD SA rekeys and deletes, and {@code dpdaction=hold} traps the peer until traffic
 * acquires a new IKE SA.
 */
class IkeLifetimeAndTrapTest {
  private static final IpAddress ALICE = IpAddress.parse("192.0.2.1");
  private static final IpAddress BOB = IpAddress.parse("198.51.100.7");
  private static final String IKE = "aes128gcm16-prfsha256-ecp256";

  private final ManualScheduler clock = new ManualScheduler();
  private final LoopbackIkeNetwork network =
      new LoopbackIkeNetwork(LoopbackIkeNetwork.Delivery.QUEUED, 7);
  private final List<IkeEvent> aliceEvents = new ArrayList<>();
  private final List<IkeEvent> bobEvents = new ArrayList<>();
  private SaStore aliceStore;
  private SaStore bobStore;
  private IkeEndpoint aliceEndpoint;
  private IkeEndpoint bobEndpoint;

  private static ImmutableIkePeerConfig.Builder peer(String name, String local, String remote,
      List<String> localNets, List<String> remoteNets) {
    return IkePeerConfig.builder()
        .name(name)
        .localIdentity(Identity.parse(local))
        .remoteIdentity(Identity.parse(remote))
        .presharedKey(Secret.ofUtf8("k"))
        .ikeProposals(ProposalList.parse(IKE, Protocol.IKE))
        .espProposals(ProposalList.parse("aes128gcm16", Protocol.ESP))
        .localSubnets(localNets.stream().map(IpPrefix::parse).toList())
        .remoteSubnets(remoteNets.stream().map(IpPrefix::parse).toList());
  }

  private static ImmutableIkePeerConfig.Builder alice() {
    return peer("alice", "alice.example", "bob.example", List.of("10.1.0.0/16"),
        List.of("10.2.0.0/16")).remoteGateway(new RemoteGateway.Address(BOB));
  }

  private static ImmutableIkePeerConfig.Builder bob() {
    return peer("bob", "bob.example", "alice.example", List.of("10.2.0.0/16"),
        List.of("10.1.0.0/16"));
  }

  private IkeEndpoint endpoint(IpAddress address, IkePeerConfig config, long seed, SaStore store,
      DataPlaneLifetimeBridge bridge, List<IkeEvent> events) {
    IkeEnvironment environment = new IkeEnvironment(
        new CryptoProvider(new DeterministicRandom(seed)), clock, clock, store, events::add,
        Runnable::run, Runnable::run);
    IkeEndpoint endpoint = new IkeEndpoint(List.of(config), environment, HalfOpenPolicy.DEFAULT,
        handler -> network.open(IkeListenConfig.standard(address), handler, null));
    bridge.bind(endpoint);
    return endpoint;
  }

  private void establish(IkePeerConfig alice, IkePeerConfig bob) {
    DataPlaneLifetimeBridge aliceBridge = new DataPlaneLifetimeBridge();
    aliceStore = new SaStore(new CryptoProvider(new DeterministicRandom(3)), clock, clock,
        aliceBridge, new EspStats());
    aliceEndpoint = endpoint(ALICE, alice, 1, aliceStore, aliceBridge, aliceEvents);
    DataPlaneLifetimeBridge bobBridge = new DataPlaneLifetimeBridge();
    bobStore = new SaStore(new CryptoProvider(new DeterministicRandom(4)), clock, clock,
        bobBridge, new EspStats());
    bobEndpoint = endpoint(BOB, bob, 2, bobStore, bobBridge, bobEvents);
    aliceEndpoint.initiate(alice, new UdpEndpoint(BOB, 500));
    runNetwork(20);
  }

  private void runNetwork(int seconds) {
    for (int i = 0; i < seconds; i++) {
      network.deliverAll();
      clock.advance(Duration.ofSeconds(1));
    }
  }

  private static <T extends IkeEvent> List<T> events(List<IkeEvent> events, Class<T> kind) {
    return events.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  /** Protects {@code count} minimal IPv4 packets with Alice's only outbound SA. */
  private void sendFromAlice(int count) {
    OutboundSa sa = aliceStore.sa(aliceStore.installed().get(0).inboundSpi()).outbound();
    for (int i = 0; i < count; i++) {
      byte[] buf = new byte[OutboundSa.MAX_HEADROOM + 20 + OutboundSa.MAX_TAILROOM];
      buf[OutboundSa.MAX_HEADROOM] = 0x45;
      assertTrue(sa.protect(buf, OutboundSa.MAX_HEADROOM, 20) > 0, "packet " + i + " protected");
    }
  }

  @Test
  void configuredByteAndPacketLimitsReachTheInstalledSpec_andDefaultToNone() {
    IkePeerConfig limited = alice().childRekeyBytes(1000).childLifeBytes(2000)
        .childRekeyPackets(3).childLifePackets(5).build();
    establish(limited, bob().build());

    SaLifetime aliceLimits = aliceStore.installed().get(0).lifetime();
    assertEquals(new SaLifetime(Duration.ofMinutes(51), Duration.ofHours(1), 1000, 2000, 3, 5),
        aliceLimits);
    SaLifetime bobLimits = bobStore.installed().get(0).lifetime();
    assertEquals(SaLifetime.ofTime(Duration.ofHours(1), Duration.ofMinutes(9)), bobLimits);
  }

  @Test
  void rekeyLimitAboveTheLifeLimitIsRejected() {
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> alice().childRekeyPackets(10).childLifePackets(5).build());
    assertTrue(e.getMessage().contains("10"), e.getMessage());
  }

  @Test
  void softPacketLimitRekeysTheChildSaOnce_makeBeforeBreak() {
    establish(alice().childRekeyPackets(3).childLifePackets(1000).build(), bob().build());
    ChildSaSpec old = aliceStore.installed().get(0);

    sendFromAlice(2);
    network.deliverAll();
    assertEquals(List.of(old), aliceStore.installed(), "no rekey below the soft limit");
    sendFromAlice(1);
    sendFromAlice(1);
    runNetwork(10);

    assertEquals(1, events(aliceEvents, IkeEvent.ChildSaRekeyed.class).size(), aliceEvents::toString);
    assertEquals(1, events(bobEvents, IkeEvent.ChildSaRekeyed.class).size());
    assertEquals(1, aliceStore.installed().size());
    assertEquals(1, bobStore.installed().size());
    ChildSaSpec fresh = aliceStore.installed().get(0);
    assertNotEquals(old.inboundSpi(), fresh.inboundSpi());
    assertEquals(fresh.inboundSpi(), bobStore.installed().get(0).outboundSpi());
    assertEquals(fresh.outboundSpi(), bobStore.installed().get(0).inboundSpi());
    IkeEvent.ChildSaRekeyed rekeyed = events(aliceEvents, IkeEvent.ChildSaRekeyed.class).get(0);
    int rekeyedAt = aliceEvents.indexOf(rekeyed);
    int deletedAt = aliceEvents.indexOf(events(aliceEvents, IkeEvent.ChildSaDeleted.class).get(0));
    assertTrue(rekeyedAt < deletedAt, "the new SA is up before the old one goes: " + aliceEvents);
  }

  @Test
  void hardPacketLimitDeletesTheChildSaOnBothSides_keepingTheIkeSa() {
    establish(alice().childLifePackets(2).build(), bob().build());

    sendFromAlice(2);
    runNetwork(5);

    assertEquals(List.of(), aliceStore.installed());
    assertEquals(List.of(), bobStore.installed());
    assertEquals(1, events(bobEvents, IkeEvent.ChildSaDeleted.class).size());
    assertTrue(events(aliceEvents, IkeEvent.ChildSaRekeyed.class).isEmpty());
    assertEquals(IkeSaState.ESTABLISHED,
        aliceEndpoint.state(aliceEndpoint.ikeSas().get(0).initiatorSpi()).orElseThrow());
  }

  /** Lets Alice's liveness checks to the silent Bob run out (30 s delay + 165 s of retries). */
  private void bobGoesSilentUntilAliceGivesUp() {
    network.impair(new NetworkImpairments(1.0, 0, 0));
    clock.advance(Duration.ofSeconds(30 + 166));
    assertEquals(1, events(aliceEvents, IkeEvent.IkeSaDown.class).size(), aliceEvents::toString);
    assertEquals(List.of(), aliceStore.installed());
    assertEquals(List.of(), aliceEndpoint.ikeSas());
  }

  @Test
  void dpdHold_trapsThePeer_andTrafficToItsSubnetReestablishesOnceReachable() {
    establish(alice().dpdAction(PeerAction.HOLD).build(), bob().build());
    bobGoesSilentUntilAliceGivesUp();
    assertEquals(java.util.Set.of("alice"), aliceEndpoint.trappedPeers());

    assertFalse(aliceEndpoint.acquire(IpAddress.parse("10.9.0.1")), "not a trapped subnet");
    assertEquals(List.of(), aliceEndpoint.ikeSas());
    assertTrue(aliceEndpoint.acquire(IpAddress.parse("10.2.3.4")));
    assertTrue(aliceEndpoint.acquire(IpAddress.parse("10.2.3.5")));
    assertEquals(1, aliceEndpoint.ikeSas().size(), "one pending initiation per peer");

    network.impair(new NetworkImpairments(0, 0, 0));
    runNetwork(60);

    assertEquals(1, aliceStore.installed().size(), aliceEvents::toString);
    ChildSaSpec child = aliceStore.installed().get(0);
    assertTrue(bobStore.installed().stream().anyMatch(b -> b.inboundSpi() == child.outboundSpi()));
    assertEquals(2, events(aliceEvents, IkeEvent.IkeSaUp.class).size());
  }

  @Test
  void dpdClear_trafficDoesNotReestablish() {
    establish(alice().dpdAction(PeerAction.CLEAR).build(), bob().build());
    bobGoesSilentUntilAliceGivesUp();
    network.impair(new NetworkImpairments(0, 0, 0));

    assertFalse(aliceEndpoint.acquire(IpAddress.parse("10.2.3.4")));
    runNetwork(60);

    assertEquals(List.of(), aliceEndpoint.ikeSas());
    assertEquals(List.of(), aliceStore.installed());
    assertEquals(java.util.Set.of(), aliceEndpoint.trappedPeers());
  }

  @ParameterizedTest
  @CsvSource({"HOLD, 1", "CLEAR, 0"})
  void closeActionHold_trapsThePeerTheRemoteDeleted(PeerAction closeAction, int reestablished) {
    establish(alice().closeAction(closeAction).build(), bob().build());

    bobEndpoint.delete(bobEndpoint.ikeSas().get(0).responderSpi());
    runNetwork(5);
    assertEquals(List.of(), aliceEndpoint.ikeSas());
    aliceEndpoint.acquire(IpAddress.parse("10.2.0.1"));
    runNetwork(20);

    assertEquals(reestablished, aliceStore.installed().size(), aliceEvents::toString);
    assertEquals(1 + reestablished, events(aliceEvents, IkeEvent.IkeSaUp.class).size());
  }
}
