package dev.ferry.vpn.ike.sa;

import dev.ferry.vpn.ike.IkeSaState;
import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.ike.IkePeerConfig;
import dev.ferry.vpn.ike.IkeSaInfo;
import dev.ferry.vpn.ike.crypto.Direction;
import dev.ferry.vpn.ike.crypto.IkeCryptoSuite;
import dev.ferry.vpn.ike.crypto.IkeKeys;
import dev.ferry.vpn.ike.crypto.SkProtector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IKE SA: SPIs, role, endpoints, lifecycle state, the negotiated suite and keys, the
 * IKE_SA_INIT messages and nonces that AUTH signs (RFC 7296 section 2.15), NAT detection results
 * and the CHILD SAs it created.
 *
 * <p>Not thread-safe by design: an IKE SA is confined to one serial executor (its tasks and its
 * task manager run there), so nothing here locks. Key material stays in {@link IkeKeys} and never
 * reaches {@link #toString()} or logs.
 */
public final class IkeSa {
  private static final Logger LOG = LoggerFactory.getLogger(IkeSa.class);

  private IkePeerConfig config;
  private final boolean initiator;
  private final long initiatorSpi;
  private long responderSpi;
  private IkeSaState state = IkeSaState.CREATED;
  private boolean replaced;
  private boolean collisionCandidate;
  private RekeyCollision rekeyCollision;
  private String peerIdentity = "";
  private boolean initialContact;
  private UdpEndpoint local;
  private UdpEndpoint remote;
  private Proposal proposal;
  private IkeCryptoSuite suite;
  private IkeKeys keys;
  private SkProtector outbound;
  private SkProtector inbound;
  private byte[] nonceI;
  private byte[] nonceR;
  private byte[] initRequest;
  private byte[] initResponse;
  private boolean localBehindNat;
  private boolean remoteBehindNat;
  private boolean peerSupportsFragmentation;
  private final List<ChildSaSpec> childSas = new ArrayList<>();
  private java.time.Instant lastInbound = java.time.Instant.MIN;
  private final java.util.Set<Integer> beingReplaced = new java.util.HashSet<>();
  /** Recent rekeys by old inbound SPI; bounded, so completed rekeys are forgotten eventually. */
  private final Map<Integer, List<Rekey>> rekeys = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Integer, List<Rekey>> eldest) {
      return size() > 16;
    }
  };

  /**
   * One completed rekey of a CHILD SA: the SA it replaced and the one it created, whether we
   * initiated that exchange, and the lowest nonce of the exchange (RFC 7296 section 2.8.1
   * decides collisions by it).
   */
  public record Rekey(ChildSaSpec replaced, ChildSaSpec created, boolean weInitiated,
      byte[] lowestNonce) { }

  /**
   * The IKE SA the peer created by rekeying this one while our own rekey of it was outstanding
   * (RFC 7296 section 2.8.2), with the two nonces of the peer's exchange; which of the two new SAs
   * survives is decided once our exchange is over too.
   */
  public record RekeyCollision(IkeSa created, byte[] nonceI, byte[] nonceR) {
    public RekeyCollision {
      Objects.requireNonNull(created, "created");
      nonceI = nonceI.clone();
      nonceR = nonceR.clone();
    }
  }

  /**
   * @param responderSpi 0 for an initiator until the IKE_SA_INIT response names it
   */
  public IkeSa(IkePeerConfig config, boolean initiator, long initiatorSpi, long responderSpi,
      UdpEndpoint local, UdpEndpoint remote) {
    this.config = Objects.requireNonNull(config, "config");
    this.initiator = initiator;
    this.initiatorSpi = initiatorSpi;
    this.responderSpi = responderSpi;
    this.local = Objects.requireNonNull(local, "local");
    this.remote = Objects.requireNonNull(remote, "remote");
    // RFC 7296 section 3.1: SPI 0 marks the responder SPI as unknown; ours is never 0.
    if (initiatorSpi == 0 || (!initiator && responderSpi == 0)) {
      throw new IllegalArgumentException("our IKE SPI must not be 0 (RFC 7296 section 3.1)");
    }
  }

  /**
   * Moves to {@code to}; throws {@link IllegalStateException} for a move the {@link IkeSaState}
   * table forbids (a bug in the calling task).
   */
  public void transition(IkeSaState to) {
    if (!state.canMoveTo(to)) {
      throw new IllegalStateException(
          "IKE SA " + info().spis() + " cannot move from " + state + " to " + to);
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("IKE SA {} {} -> {}", info().spis(), state, to);
    }
    state = to;
    replaced |= to == IkeSaState.REKEYED;
  }

  public IkeSaState state() {
    return state;
  }

  /**
   * True once a rekey replaced this SA (it went through REKEYED), even while deleting it, and
   * while it is an undecided or redundant SA of a simultaneous rekey: ending such an SA takes no
   * service away, so it is not reported as going down.
   */
  public boolean wasReplaced() {
    return replaced || collisionCandidate;
  }

  /**
   * Marks this new SA as one of the two a simultaneous rekey created (RFC 7296 section 2.8.2),
   * not in service until chosen; {@code false} once it is the survivor.
   */
  public void setCollisionCandidate(boolean candidate) {
    this.collisionCandidate = candidate;
  }

  /** True while this SA is an undecided or redundant SA of a simultaneous rekey. */
  public boolean isCollisionCandidate() {
    return collisionCandidate;
  }

  /** Notes the peer's rekey that crossed ours (section 2.8.2). */
  public void setRekeyCollision(RekeyCollision collision) {
    this.rekeyCollision = Objects.requireNonNull(collision, "collision");
  }

  /** The peer's crossing rekey, or null when there was none. */
  public RekeyCollision rekeyCollision() {
    return rekeyCollision;
  }

  public IkePeerConfig config() {
    return config;
  }

  /**
   * Responder only, during IKE_AUTH: switches to the configuration chosen by the initiator's
   * identity (RFC 7296 section 2.15: IDi is first known in IKE_AUTH, while IKE_SA_INIT could
   * only go by the peer's address). The IKE proposal negotiated so far stays.
   */
  public void reselectConfig(IkePeerConfig chosen) {
    if (initiator || state != IkeSaState.CONNECTING) {
      throw new IllegalStateException("only a responder in IKE_AUTH may change its configuration");
    }
    this.config = Objects.requireNonNull(chosen, "chosen");
  }

  public boolean isInitiator() {
    return initiator;
  }

  public long initiatorSpi() {
    return initiatorSpi;
  }

  public long responderSpi() {
    return responderSpi;
  }

  /** Our own SPI: how the endpoint finds this SA for inbound messages. */
  public long localSpi() {
    return initiator ? initiatorSpi : responderSpi;
  }

  /** Learns the responder's SPI from the IKE_SA_INIT response (initiator only, once). */
  public void setResponderSpi(long spi) {
    if (!initiator || (responderSpi != 0 && responderSpi != spi) || spi == 0) {
      throw new IllegalStateException("responder SPI is fixed once known and never 0");
    }
    responderSpi = spi;
  }

  public UdpEndpoint local() {
    return local;
  }

  public UdpEndpoint remote() {
    return remote;
  }

  /** Changes the endpoints: the float to the NAT-T port, or a peer behind a NAT rebinding. */
  public void moveTo(UdpEndpoint newLocal, UdpEndpoint newRemote) {
    if (!newLocal.equals(local) || !newRemote.equals(remote)) {
      if (LOG.isDebugEnabled()) {
        LOG.debug("IKE SA {} moves from {}...{} to {}...{}", info().spis(), local, remote, newLocal,
            newRemote);
      }
    }
    local = Objects.requireNonNull(newLocal, "newLocal");
    remote = Objects.requireNonNull(newRemote, "newRemote");
  }

  /** Installs the negotiated suite and keys (after IKE_SA_INIT, RFC 7296 section 2.14). */
  public void setKeys(Proposal negotiated, IkeCryptoSuite suite, IkeKeys keys,
      SkProtector outbound, SkProtector inbound) {
    this.proposal = Objects.requireNonNull(negotiated, "negotiated");
    this.suite = Objects.requireNonNull(suite, "suite");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.outbound = Objects.requireNonNull(outbound, "outbound");
    this.inbound = Objects.requireNonNull(inbound, "inbound");
  }

  public boolean hasKeys() {
    return keys != null;
  }

  public Proposal proposal() {
    return proposal;
  }

  public IkeCryptoSuite suite() {
    return suite;
  }

  public IkeKeys keys() {
    return keys;
  }

  /** Protects what we send; null before IKE_SA_INIT completes. */
  public SkProtector outbound() {
    return outbound;
  }

  /** Opens what the peer sends; null before IKE_SA_INIT completes. */
  public SkProtector inbound() {
    return inbound;
  }

  /** The direction of messages we send (RFC 7296 section 2.14: SK_ei for the initiator's). */
  public Direction outboundDirection() {
    return initiator ? Direction.INITIATOR_TO_RESPONDER : Direction.RESPONDER_TO_INITIATOR;
  }

  public void setNonces(byte[] nonceI, byte[] nonceR) {
    this.nonceI = nonceI.clone();
    this.nonceR = nonceR.clone();
  }

  public byte[] nonceI() {
    return nonceI.clone();
  }

  public byte[] nonceR() {
    return nonceR.clone();
  }

  /** Keeps the IKE_SA_INIT messages as sent and received: AUTH signs them (section 2.15). */
  public void setInitMessages(byte[] request, byte[] response) {
    this.initRequest = request.clone();
    this.initResponse = response.clone();
  }

  public byte[] initRequest() {
    return initRequest.clone();
  }

  public byte[] initResponse() {
    return initResponse.clone();
  }

  /** Records NAT detection (RFC 7296 section 2.23). */
  public void setNat(boolean localBehindNat, boolean remoteBehindNat) {
    this.localBehindNat = localBehindNat;
    this.remoteBehindNat = remoteBehindNat;
  }

  public boolean localBehindNat() {
    return localBehindNat;
  }

  public boolean remoteBehindNat() {
    return remoteBehindNat;
  }

  /** True when a NAT was detected on either side: IKE floats to 4500 and ESP goes in UDP. */
  public boolean natDetected() {
    return localBehindNat || remoteBehindNat;
  }

  public void setPeerSupportsFragmentation(boolean supported) {
    this.peerSupportsFragmentation = supported;
  }

  /** The peer sent IKEV2_FRAGMENTATION_SUPPORTED (RFC 7383 section 2.3). */
  public boolean peerSupportsFragmentation() {
    return peerSupportsFragmentation;
  }

  public void addChildSa(ChildSaSpec child) {
    childSas.add(child);
  }

  public void removeChildSa(ChildSaSpec child) {
    childSas.remove(child);
    beingReplaced.remove(child.inboundSpi());
  }

  /**
   * Marks a CHILD SA as being rekeyed (by either side), so a second rekey of the same SA is not
   * started; returns false when it already was.
   */
  public boolean markBeingReplaced(ChildSaSpec child) {
    return beingReplaced.add(child.inboundSpi());
  }

  /**
   * Takes back {@link #markBeingReplaced}: our rekey of this CHILD SA failed, so the SA stays in
   * service and may be rekeyed again (RFC 7296 sections 2.8, 2.25).
   */
  public void unmarkBeingReplaced(ChildSaSpec child) {
    beingReplaced.remove(child.inboundSpi());
  }

  /**
   * Records a completed rekey of the CHILD SA with inbound SPI {@code oldInboundSpi}; returns the
   * rekeys of the same SA recorded before (more than none means the peers rekeyed simultaneously).
   */
  public List<Rekey> recordRekey(int oldInboundSpi, Rekey rekey) {
    List<Rekey> list = rekeys.computeIfAbsent(oldInboundSpi, k -> new ArrayList<>());
    List<Rekey> before = List.copyOf(list);
    list.add(rekey);
    return before;
  }

  /**
   * The completed rekeys recorded for the CHILD SA with inbound SPI {@code oldInboundSpi}, oldest
   * first; empty when none is remembered.
   */
  public List<Rekey> rekeysOf(int oldInboundSpi) {
    return List.copyOf(rekeys.getOrDefault(oldInboundSpi, List.of()));
  }

  /**
   * True when a rekey we initiated and completed replaced the CHILD SA whose outbound SPI is
   * {@code outboundSpi} (the SA may be deleted already).
   */
  public boolean replacedByOurRekey(int outboundSpi) {
    return rekeys.values().stream().flatMap(List::stream)
        .anyMatch(r -> r.weInitiated() && r.replaced().outboundSpi() == outboundSpi);
  }

  /** True when a rekey of this CHILD SA has started or completed. */
  public boolean isBeingReplaced(ChildSaSpec child) {
    return beingReplaced.contains(child.inboundSpi());
  }

  public List<ChildSaSpec> childSas() {
    return List.copyOf(childSas);
  }

  /** Records that an authenticated message arrived from the peer (liveness, section 2.4). */
  public void markInbound(java.time.Instant when) {
    lastInbound = when;
  }

  /** When the peer was last heard from; {@link java.time.Instant#MIN} if never. */
  public java.time.Instant lastInbound() {
    return lastInbound;
  }

  /** Records the peer's authenticated identity and whether it sent INITIAL_CONTACT. */
  public void setPeerIdentity(String identity, boolean initialContact) {
    this.peerIdentity = Objects.requireNonNull(identity, "identity");
    this.initialContact = initialContact;
  }

  /** The peer's authenticated identity, empty before IKE_AUTH completes. */
  public String peerIdentity() {
    return peerIdentity;
  }

  /** True when the peer's IKE_AUTH carried INITIAL_CONTACT (RFC 7296 section 2.4). */
  public boolean peerSentInitialContact() {
    return initialContact;
  }

  /** A value describing this SA for events. */
  public IkeSaInfo info() {
    return new IkeSaInfo(initiatorSpi, responderSpi, initiator,
        proposal == null ? "" : proposal.toString(), local, remote);
  }

  @Override
  public String toString() {
    return config.name() + "[" + info() + " " + state + "]";
  }
}
