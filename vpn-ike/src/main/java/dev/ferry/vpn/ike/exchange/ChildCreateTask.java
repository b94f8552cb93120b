package dev.ferry.vpn.ike.exchange;

import dev.ferry.vpn.core.crypto.KeyExchange;
import dev.ferry.vpn.core.crypto.KeyExchangeException;
import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.net.TrafficSelector;
import dev.ferry.vpn.core.proposal.KeyExchangeMethod;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.ProposalList;
import dev.ferry.vpn.core.proposal.Transform;
import dev.ferry.vpn.core.proposal.TransformType;
import dev.ferry.vpn.core.sa.ChildSaKeys;
import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.ike.IkeEvent;
import dev.ferry.vpn.ike.crypto.Direction;
import dev.ferry.vpn.ike.message.Bytes;
import dev.ferry.vpn.ike.message.IkeMessage;
import dev.ferry.vpn.ike.message.IkePayload;
import dev.ferry.vpn.ike.message.KePayload;
import dev.ferry.vpn.ike.message.NoncePayload;
import dev.ferry.vpn.ike.message.NotifyPayload;
import dev.ferry.vpn.ike.message.NotifyType;
import dev.ferry.vpn.ike.message.PayloadType;
import dev.ferry.vpn.ike.message.SaPayload;
import dev.ferry.vpn.ike.message.SaProposal;
import dev.ferry.vpn.ike.message.TsPayload;
import dev.ferry.vpn.ike.sa.IkeSa;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a CHILD SA (RFC 7296 sections 1.3, 2.8 and 2.17), in either role of the exchange: ESP
 * proposal selection, traffic selector narrowing (section 2.9), KEYMAT and installation through the
 * data plane SPI, inbound before outbound.
 *
 * <ul>
 *   <li>Inside IKE_AUTH ({@link #inIkeAuth}): no nonces or KE of its own; KEYMAT from the IKE SA's
 *       nonces, and no KE transforms are offered (section 1.2).
 *   <li>In CREATE_CHILD_SA ({@link #create}, {@link #rekey}, {@link #responder}): own nonces, a KE
 *       when the proposal asks for PFS (section 1.3.1), and for a rekey N(REKEY_SA) naming the old
 *       SA. KEYMAT then uses this exchange's nonces, and "initiator" means the initiator of this
 *       exchange (section 2.17). A rekeyed SA stays installed until the exchange initiator deletes
 *       it (make-before-break, section 2.8).
 * </ul>
 *
 * Failures (NO_PROPOSAL_CHOSEN, TS_UNACCEPTABLE, CHILD_SA_NOT_FOUND) leave the IKE SA up.
 */
public final class ChildCreateTask implements IkeTask {
  private static final Logger LOG = LoggerFactory.getLogger(ChildCreateTask.class);
  /** SPIs 1-255 are reserved by IANA (RFC 4303 section 2.1). */
  private static final int FIRST_SPI = 256;

  private final ExchangeContext context;
  private final IkeSa sa;
  private final boolean initiator;
  private final boolean ownNonces;
  private final int inboundSpi;
  private final Runnable retryLater;
  private ChildSaSpec rekeyed;
  /** RFC 7296 section 1.3: one retry with the group the peer asks for, no more. */
  private boolean groupRetried;
  private byte[] nonce;
  private byte[] peerNonce;
  private KeyExchangeMethod group;
  private KeyExchange keyExchange;
  private Bytes peerKe;
  private Secret pfsSecret;
  private List<ProposalOffer> offered;
  private ProposalSelector.Selection selection;
  private int outboundSpi;
  private List<TrafficSelector> tsi;
  private List<TrafficSelector> tsr;

  private ChildCreateTask(ExchangeContext context, boolean initiator, boolean ownNonces,
      ChildSaSpec rekeyed, Runnable retryLater) {
    this.context = context;
    this.retryLater = retryLater;
    this.sa = context.sa();
    this.initiator = initiator;
    this.ownNonces = ownNonces;
    this.rekeyed = rekeyed;
    this.inboundSpi = newSpi();
    if (ownNonces) {
      nonce = context.randomBytes(IkeInitTask.NONCE_LENGTH);
    }
    if (initiator && ownNonces) {
      group = sa.config().espProposals().proposals().get(0).first(TransformType.KE)
          .map(t -> (KeyExchangeMethod) t.algorithm())
          .filter(m -> m != KeyExchangeMethod.NONE)
          .orElse(null);
    }
  }

  /** The first CHILD SA, inside IKE_AUTH; the exchange role is the IKE SA's role. */
  public static ChildCreateTask inIkeAuth(ExchangeContext context) {
    return new ChildCreateTask(context, context.sa().isInitiator(), false, null, () -> { });
  }

  /** Initiator of CREATE_CHILD_SA for an additional CHILD SA. */
  public static ChildCreateTask create(ExchangeContext context) {
    return new ChildCreateTask(context, true, true, null, () -> { });
  }

  /**
   * Initiator of CREATE_CHILD_SA rekeying {@code old}; once the new SA is installed the old one is
   * deleted (section 2.8). If the rekey fails, {@code old} stays in service and is no longer
   * marked as being replaced; {@code retryLater} runs when the peer answered TEMPORARY_FAILURE
   * outside a collision (section 2.25) and should start a new attempt after a random delay.
   */
  public static ChildCreateTask rekey(ExchangeContext context, ChildSaSpec old,
      Runnable retryLater) {
    return new ChildCreateTask(context, true, true, old, retryLater);
  }

  /** Responder of CREATE_CHILD_SA, new or rekeying (the request says which). */
  public static ChildCreateTask responder(ExchangeContext context) {
    return new ChildCreateTask(context, false, true, null, () -> { });
  }

  @Override
  public String name() {
    return rekeyed == null ? "CHILD_CREATE" : "CHILD_REKEY";
  }

  private ProposalList espProposals() {
    return ownNonces ? sa.config().espProposals() : new ProposalList(
        ProposalSelector.withoutKeyExchange(sa.config().espProposals().proposals()), false);
  }

  @Override
  public void build(List<IkePayload> out) {
    Bytes spi = Bytes.of(ByteBuffer.allocate(4).putInt(inboundSpi).array());
    if (initiator) {
      if (rekeyed != null) {
        sa.markBeingReplaced(rekeyed);
        // RFC 7296 section 1.3.3: REKEY_SA names the old SA by our inbound SPI.
        out.add(new NotifyPayload(SaProposal.PROTOCOL_ESP,
            Bytes.of(ByteBuffer.allocate(4).putInt(rekeyed.inboundSpi()).array()),
            NotifyType.REKEY_SA, Bytes.EMPTY));
      }
      List<Proposal> proposals = espProposals().proposals();
      offered = ProposalOffer.numbered(proposals);
      List<SaProposal> wire = new ArrayList<>();
      for (int i = 0; i < proposals.size(); i++) {
        wire.add(SaProposal.of(i + 1, proposals.get(i), spi));
      }
      out.add(new SaPayload(wire));
      addNonceAndKe(out);
      out.add(new TsPayload(PayloadType.TSI, rekeyed != null ? rekeyed.localSelectors()
          : sa.config().localTrafficSelectors()));
      out.add(new TsPayload(PayloadType.TSR, rekeyed != null ? rekeyed.remoteSelectors()
          : sa.config().remoteTrafficSelectors()));
      return;
    }
    out.add(new SaPayload(List.of(
        SaProposal.of(selection.proposalNumber(), selection.chosen(), spi))));
    addNonceAndKe(out);
    out.add(new TsPayload(PayloadType.TSI, tsi));
    out.add(new TsPayload(PayloadType.TSR, tsr));
    install(selection.chosen(), tsr, tsi);
  }

  private void addNonceAndKe(List<IkePayload> out) {
    if (!ownNonces) {
      return;
    }
    out.add(new NoncePayload(Bytes.of(nonce)));
    if (group != null) {
      out.add(new KePayload(group.transformId(), Bytes.of(keyExchange(group).publicValue())));
    }
  }

  @Override
  public Status process(IkeMessage in) throws IkeExchangeException {
    try {
      return processMessage(in);
    } catch (IkeExchangeException e) {
      throw initiator && rekeyed != null ? rekeyFailed(e) : e;
    }
  }

  /**
   * Our rekey of {@link #rekeyed} failed. RFC 7296 section 2.8: the old SA keeps working until it
   * expires, so it goes back into service (no longer marked as being replaced) unless a rekey of
   * the peer's replaced it meanwhile. TEMPORARY_FAILURE (section 2.25: the peer is busy, e.g.
   * rekeying itself) is retried later and reported by nobody yet; any other error is permanent
   * and reported as it is.
   */
  private IkeExchangeException rekeyFailed(IkeExchangeException e) {
    if (!sa.childSas().contains(rekeyed) || !sa.rekeysOf(rekeyed.inboundSpi()).isEmpty()) {
      return e;
    }
    sa.unmarkBeingReplaced(rekeyed);
    if (!e.notifyType().equals(NotifyType.TEMPORARY_FAILURE)) {
      return e;
    }
    LOG.info("CHILD SA {}: peer answered our rekey with TEMPORARY_FAILURE, retrying later",
        rekeyed);
    retryLater.run();
    return IkeExchangeException.willRetry(e.notifyType(), e.getMessage());
  }

  private Status processMessage(IkeMessage in) throws IkeExchangeException {
    if (initiator) {
      Optional<NotifyPayload> invalidKe = in.notify(NotifyType.INVALID_KE_PAYLOAD);
      if (invalidKe.isPresent() && ownNonces) {
        return retryWithGroup(invalidKe.get().data());
      }
      for (NotifyPayload n : in.payloads(NotifyPayload.class)) {
        if (n.notifyType().isError()) {
          if (replacedByPeer(n.notifyType())) {
            return Status.DONE;
          }
          throw IkeExchangeException.childFailed(n.notifyType(), true,
              "peer " + sa.remote() + " refused the CHILD SA of " + sa.config().name());
        }
      }
    }
    SaPayload saPayload = in.first(SaPayload.class).orElseThrow(() ->
        IkeExchangeException.childFailed(NotifyType.NO_PROPOSAL_CHOSEN, false,
            "no SA payload for the CHILD SA"));
    List<TrafficSelector> peerTsi = selectors(in, PayloadType.TSI);
    List<TrafficSelector> peerTsr = selectors(in, PayloadType.TSR);
    if (ownNonces) {
      peerNonce = in.first(NoncePayload.class).map(n -> n.nonce().toByteArray())
          .orElseThrow(() -> IkeExchangeException.childFailed(NotifyType.INVALID_SYNTAX, false,
              "CREATE_CHILD_SA without a nonce"));
      peerKe = in.first(KePayload.class).map(KePayload::data).orElse(null);
    }
    if (initiator) {
      processResponse(saPayload, peerTsi, peerTsr);
    } else {
      processRequest(in, saPayload, peerTsi, peerTsr);
    }
    return Status.DONE;
  }

  /**
   * RFC 7296 sections 2.8.1 and 2.25.1: our rekey crossed the peer's, and the peer answered ours
   * with TEMPORARY_FAILURE or CHILD_SA_NOT_FOUND because it had already completed its own (it got
   * our answer first) and is deleting the old SA. The peer's new SA, which we installed as
   * responder, is the survivor: nothing failed, so this exchange ends quietly.
   */
  private boolean replacedByPeer(NotifyType error) {
    if (rekeyed == null || !(error.equals(NotifyType.TEMPORARY_FAILURE)
        || error.equals(NotifyType.CHILD_SA_NOT_FOUND))) {
      return false;
    }
    boolean peerRekeyed = sa.rekeysOf(rekeyed.inboundSpi()).stream()
        .anyMatch(r -> !r.weInitiated());
    if (peerRekeyed) {
      LOG.info("CHILD SA {}: peer answered our rekey with {}, its own rekey replaced the SA",
          rekeyed, error);
    }
    return peerRekeyed;
  }

  /** g^ir of the PFS key exchange (RFC 7296 section 2.17), when a group was negotiated. */
  private void computePfsSecret() throws IkeExchangeException {
    if (group == null) {
      return;
    }
    if (peerKe == null) {
      throw IkeExchangeException.childFailed(NotifyType.INVALID_SYNTAX, false,
          "PFS with " + group + " negotiated but the peer sent no KE payload");
    }
    try {
      pfsSecret = keyExchange(group).computeSharedSecret(peerKe.toByteArray());
    } catch (KeyExchangeException e) {
      throw IkeExchangeException.childFailed(NotifyType.INVALID_SYNTAX, false,
          "peer's " + group + " public value is invalid: " + e.getMessage());
    }
  }

  private Status retryWithGroup(Bytes data) throws IkeExchangeException {
    int requested = data.length() == 2 ? (data.get(0) << 8) | data.get(1) : -1;
    Optional<KeyExchangeMethod> method = KeyExchangeMethod.fromTransformId(requested);
    if (groupRetried || method.isEmpty() || method.get() == group
        || sa.config().espProposals().proposals().stream()
            .noneMatch(p -> p.keyExchange().contains(Transform.of(method.get())))) {
      throw IkeExchangeException.childFailed(NotifyType.INVALID_KE_PAYLOAD, true,
          "peer asks for KE group " + requested + (groupRetried ? " after we already switched to "
              + group : ", not in " + sa.config().espProposals()));
    }
    groupRetried = true;
    group = method.get();
    return Status.RETRY;
  }

  private void processRequest(IkeMessage in, SaPayload saPayload, List<TrafficSelector> peerTsi,
      List<TrafficSelector> peerTsr) throws IkeExchangeException {
    Optional<NotifyPayload> rekey = in.notify(NotifyType.REKEY_SA);
    if (rekey.isPresent()) {
      int peerInbound = rekey.get().spi().length() == 4
          ? ByteBuffer.wrap(rekey.get().spi().toByteArray()).getInt() : 0;
      // RFC 7296 section 1.3.3: the old SA is named by the SPI the peer receives on.
      rekeyed = sa.childSas().stream().filter(c -> c.outboundSpi() == peerInbound).findFirst()
          .orElseThrow(() -> sa.replacedByOurRekey(peerInbound)
              // RFC 7296 sections 2.8.1, 2.25.1: our completed rekey replaced it and it is
              // deleted already; the peer's request crossed ours, so nothing failed.
              ? IkeExchangeException.quietRefusal(NotifyType.CHILD_SA_NOT_FOUND,
                  "CHILD SA " + ChildSaSpec.spiText(peerInbound) + " was rekeyed by us")
              : IkeExchangeException.childFailed(NotifyType.CHILD_SA_NOT_FOUND, false,
                  "no CHILD SA with outbound SPI " + ChildSaSpec.spiText(peerInbound)));
      if (sa.rekeysOf(rekeyed.inboundSpi()).stream().anyMatch(IkeSa.Rekey::weInitiated)) {
        // RFC 7296 section 2.25.1: our own rekey of this SA is complete and we are deleting it;
        // the peer's request crossed ours but arrived after our response, so the peer did not
        // see a collision and our new SA is the one both keep.
        throw IkeExchangeException.quietRefusal(NotifyType.TEMPORARY_FAILURE,
            "CHILD SA " + rekeyed + " is already rekeyed by us and being deleted");
      }
      if (!context.rekeyAdmission().admit(sa.config().name(),
          dev.ferry.vpn.ike.RekeyAdmission.Kind.CHILD_SA)) {
        // RFC 7296 section 2.25: a temporary condition; the peer retries later, the SA stays.
        throw IkeExchangeException.quietRefusal(NotifyType.TEMPORARY_FAILURE,
            "not taking on a rekey of CHILD SA " + rekeyed + " now");
      }
      // The peer replaces this SA; our own lifetime timer must not rekey it a second time.
      sa.markBeingReplaced(rekeyed);
    }
    Optional<KeyExchangeMethod> offeredGroup = Optional.ofNullable(
        in.first(KePayload.class).orElse(null)).flatMap(k -> KeyExchangeMethod.fromTransformId(
        k.method()));
    selection = ProposalSelector.select(WireProposals.toOffers(saPayload.proposals()),
        espProposals(), offeredGroup).orElseThrow(() -> IkeExchangeException.childFailed(
        NotifyType.NO_PROPOSAL_CHOSEN, false, "no ESP proposal of " + sa.remote() + " matches "
            + sa.config().espProposals()));
    group = selection.chosen().first(TransformType.KE)
        .map(t -> (KeyExchangeMethod) t.algorithm())
        .filter(m -> m != KeyExchangeMethod.NONE).orElse(null);
    if (group != null && (offeredGroup.isEmpty() || offeredGroup.get() != group)) {
      // RFC 7296 section 1.3: ask for the selected group; the IKE SA is unaffected.
      throw IkeExchangeException.childFailed(NotifyType.INVALID_KE_PAYLOAD,
          Bytes.of((byte) (group.transformId() >> 8), (byte) group.transformId()),
          "KEi group does not match the selected " + group);
    }
    outboundSpi = spiOf(saPayload.proposals().stream()
        .filter(p -> p.number() == selection.proposalNumber()).findFirst().orElseThrow());
    // RFC 7296 section 2.9: TSi is the exchange initiator's side (our remote), TSr ours.
    tsi = TrafficSelectorNarrowing.narrow(peerTsi, sa.config().remoteTrafficSelectors());
    tsr = TrafficSelectorNarrowing.narrow(peerTsr, sa.config().localTrafficSelectors());
    if (tsi.isEmpty() || tsr.isEmpty()) {
      throw IkeExchangeException.childFailed(NotifyType.TS_UNACCEPTABLE, false,
          "peer's selectors " + peerTsi + " === " + peerTsr + " do not overlap "
              + sa.config().remoteSubnets() + " === " + sa.config().localSubnets());
    }
    computePfsSecret();
  }

  private void processResponse(SaPayload saPayload, List<TrafficSelector> peerTsi,
      List<TrafficSelector> peerTsr) throws IkeExchangeException {
    if (saPayload.proposals().size() != 1) {
      throw IkeExchangeException.childFailed(NotifyType.NO_PROPOSAL_CHOSEN, false,
          "peer answered with " + saPayload.proposals().size() + " ESP proposals, not one");
    }
    SaProposal answer = saPayload.proposals().get(0);
    Proposal chosen = WireProposals.toOffer(answer)
        .flatMap(offer -> ProposalSelector.checkAnswer(offered, offer))
        .orElseThrow(() -> IkeExchangeException.childFailed(NotifyType.NO_PROPOSAL_CHOSEN, false,
            "peer chose an ESP proposal we did not offer"));
    Optional<Transform> chosenKe = chosen.first(TransformType.KE)
        .filter(t -> t.algorithm() != KeyExchangeMethod.NONE);
    if (chosenKe.isPresent() && (group == null || chosenKe.get().algorithm() != group)) {
      throw IkeExchangeException.childFailed(NotifyType.INVALID_KE_PAYLOAD, false,
          "peer chose KE " + chosenKe.get() + " but we sent " + group);
    }
    if (chosenKe.isEmpty()) {
      group = null;
    }
    outboundSpi = spiOf(answer);
    List<TrafficSelector> ownLocal = rekeyed != null ? rekeyed.localSelectors()
        : sa.config().localTrafficSelectors();
    List<TrafficSelector> ownRemote = rekeyed != null ? rekeyed.remoteSelectors()
        : sa.config().remoteTrafficSelectors();
    // RFC 7296 section 2.9: the responder may narrow our selectors but never widen them.
    if (!TrafficSelectorNarrowing.isNarrowingOf(peerTsi, ownLocal)
        || !TrafficSelectorNarrowing.isNarrowingOf(peerTsr, ownRemote)) {
      throw IkeExchangeException.childFailed(NotifyType.TS_UNACCEPTABLE, false,
          "peer answered selectors " + peerTsi + " === " + peerTsr + " outside what we proposed");
    }
    computePfsSecret();
    install(chosen, peerTsi, peerTsr);
  }

  private List<TrafficSelector> selectors(IkeMessage in, PayloadType type)
      throws IkeExchangeException {
    return in.payloads(TsPayload.class).stream()
        .filter(ts -> ts.type().equals(type)).findFirst()
        .map(TsPayload::selectors)
        .orElseThrow(() -> IkeExchangeException.childFailed(NotifyType.TS_UNACCEPTABLE, false,
            "no " + type + " payload for the CHILD SA"));
  }

  private static int spiOf(SaProposal proposal) throws IkeExchangeException {
    if (proposal.spi().length() != 4) {
      throw IkeExchangeException.childFailed(NotifyType.INVALID_SYNTAX, false,
          "ESP SPI of " + proposal.spi().length() + " octets, not 4 (RFC 7296 section 3.3.1)");
    }
    int spi = ByteBuffer.wrap(proposal.spi().toByteArray()).getInt();
    if (spi == 0) {
      throw IkeExchangeException.childFailed(NotifyType.INVALID_SYNTAX, false,
          "ESP SPI 0 is reserved (RFC 4303 section 2.1)");
    }
    return spi;
  }

  private void install(Proposal chosen, List<TrafficSelector> local,
      List<TrafficSelector> remote) {
    // RFC 7296 section 2.17: Ni and Nr of this exchange; initiator-to-responder keys first.
    byte[] ni = ownNonces ? (initiator ? nonce : peerNonce) : sa.nonceI();
    byte[] nr = ownNonces ? (initiator ? peerNonce : nonce) : sa.nonceR();
    dev.ferry.vpn.ike.crypto.ChildKeyMaterial keymat = sa.suite().childSaKeys(context.crypto(),
        sa.keys().skD(), Optional.ofNullable(pfsSecret), ni, nr, chosen);
    Direction out = initiator ? Direction.INITIATOR_TO_RESPONDER
        : Direction.RESPONDER_TO_INITIATOR;
    Direction in = initiator ? Direction.RESPONDER_TO_INITIATOR
        : Direction.INITIATOR_TO_RESPONDER;
    ChildSaSpec child = new ChildSaSpec(sa.config().name(), inboundSpi, outboundSpi, chosen,
        keys(keymat.keys(in)), keys(keymat.keys(out)), local, remote, sa.local(), sa.remote(),
        sa.natDetected(),
        sa.config().childSaLifetime(),
        sa.config().replayWindow());
    // RFC 7296 section 2.8 / installer contract: inbound first, then outbound.
    context.installer().install(child);
    sa.addChildSa(child);
    if (rekeyed != null) {
      LOG.info("CHILD SA {} rekeyed as {}", rekeyed, child);
      context.events().accept(
          new IkeEvent.ChildSaRekeyed(sa.config().name(), sa.remote(), rekeyed, child));
      if (initiator && sa.childSas().contains(rekeyed)) {
        // RFC 7296 section 2.8: the initiator of the rekey deletes the old SA (unless the peer,
        // whose rekey crossed ours, already deleted it).
        context.deleteChild().accept(rekeyed);
      }
      resolveCollision(child, ni, nr);
    } else {
      LOG.info("CHILD SA {} installed", child);
      context.events().accept(
          new IkeEvent.ChildSaInstalled(sa.config().name(), sa.remote(), child));
    }
  }

  /**
   * RFC 7296 section 2.8.1: when both peers rekeyed the same SA, the SA created by the exchange
   * with the lowest nonce is redundant and its initiator deletes it. Both peers see both
   * exchanges, so both reach the same verdict.
   */
  private void resolveCollision(ChildSaSpec created, byte[] ni, byte[] nr) {
    byte[] lowest = java.util.Arrays.compareUnsigned(ni, nr) <= 0 ? ni : nr;
    IkeSa.Rekey mine = new IkeSa.Rekey(rekeyed, created, initiator, lowest);
    for (IkeSa.Rekey other : sa.recordRekey(rekeyed.inboundSpi(), mine)) {
      IkeSa.Rekey redundant =
          java.util.Arrays.compareUnsigned(mine.lowestNonce(), other.lowestNonce()) < 0
              ? mine : other;
      LOG.info("simultaneous rekey of {}: {} is redundant", rekeyed, redundant.created());
      if (redundant.weInitiated()) {
        context.deleteChild().accept(redundant.created());
      }
    }
  }

  private KeyExchange keyExchange(KeyExchangeMethod method) {
    if (keyExchange == null || keyExchange.method() != method) {
      keyExchange = context.crypto().keyExchange(Transform.of(method));
    }
    return keyExchange;
  }

  private static ChildSaKeys keys(dev.ferry.vpn.ike.crypto.ChildKeyMaterial.SaKeys k) {
    return new ChildSaKeys(k.encryptionKey(), k.salt(), k.integrityKey());
  }

  private int newSpi() {
    int spi;
    do {
      spi = context.crypto().random().nextInt();
    } while (Integer.compareUnsigned(spi, FIRST_SPI) < 0);
    return spi;
  }
}
