package dev.ferry.vpn.ike.exchange;

import dev.ferry.vpn.core.crypto.KeyExchange;
import dev.ferry.vpn.core.crypto.KeyExchangeException;
import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.proposal.KeyExchangeMethod;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.Transform;
import dev.ferry.vpn.core.proposal.TransformType;
import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.ike.crypto.Direction;
import dev.ferry.vpn.ike.crypto.IkeCryptoSuite;
import dev.ferry.vpn.ike.crypto.IkeKeys;
import dev.ferry.vpn.ike.message.Bytes;
import dev.ferry.vpn.ike.message.IkeMessage;
import dev.ferry.vpn.ike.message.IkePayload;
import dev.ferry.vpn.ike.message.KePayload;
import dev.ferry.vpn.ike.message.NoncePayload;
import dev.ferry.vpn.ike.message.NotifyPayload;
import dev.ferry.vpn.ike.message.NotifyType;
import dev.ferry.vpn.ike.message.SaPayload;
import dev.ferry.vpn.ike.message.SaProposal;
import dev.ferry.vpn.ike.sa.IkeSa;
import dev.ferry.vpn.ike.IkeSaState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rekeys the IKE SA with CREATE_CHILD_SA (RFC 7296 section 1.3.2), in either role of the
 * exchange: a new IKE proposal with fresh SPIs, nonces and a key exchange; SKEYSEED = prf(SK_d
 * (old), g^ir (new) | Ni | Nr) and the new SK_* (section 2.18). The new IKE SA's initiator is the
 * initiator of this exchange; every CHILD SA moves to it, the old SA becomes REKEYED, and the
 * exchange initiator then deletes the old SA. A refused rekey leaves the old SA in place.
 *
 * <p>Simultaneous rekeys (section 2.8.2): a rekey request from the peer that arrives while ours
 * is outstanding (the SA is REKEYING) is answered as usual and its new SA noted as a candidate.
 * Once our own exchange is over, the new SA whose exchange used the lowest of the four nonces is
 * redundant and is deleted by the side that created it; the other one takes over every CHILD SA,
 * and the side that initiated it deletes the old IKE SA. Both peers see the same four nonces, so
 * they reach the same decision without extra messages. If our exchange fails instead (the peer
 * had already completed its rekey and answered TEMPORARY_FAILURE), the peer's SA survives. A rekey
 * request for an SA already REKEYED or DELETING gets TEMPORARY_FAILURE (section 2.25).
 */
public final class IkeRekeyTask implements IkeTask {
  private static final Logger LOG = LoggerFactory.getLogger(IkeRekeyTask.class);

  private final ExchangeContext context;
  private final IkeSa sa;
  private final boolean initiator;
  private final long newSpi;
  private final Runnable retryLater;
  private final byte[] nonce;
  private KeyExchangeMethod group;
  private KeyExchange keyExchange;
  private List<ProposalOffer> offered;
  private ProposalSelector.Selection selection;
  private long peerSpi;
  private byte[] peerNonce;
  private Secret sharedSecret;
  /** Responder: the peer's request crossed our own outstanding rekey (section 2.8.2). */
  private boolean crossesOurRekey;
  /** RFC 7296 section 1.3: one retry with the group the peer asks for, no more. */
  private boolean groupRetried;

  private IkeRekeyTask(ExchangeContext context, boolean initiator, Runnable retryLater) {
    this.context = context;
    this.retryLater = retryLater;
    this.sa = context.sa();
    this.initiator = initiator;
    long spi;
    do {
      spi = context.crypto().random().nextLong();
    } while (spi == 0);
    this.newSpi = spi;
    this.nonce = context.randomBytes(IkeInitTask.NONCE_LENGTH);
    if (initiator) {
      group = (KeyExchangeMethod) sa.config().ikeProposals().proposals().get(0)
          .first(TransformType.KE).orElseThrow().algorithm();
    }
  }

  /**
   * We rekey the IKE SA; {@code retryLater} runs when the peer answers TEMPORARY_FAILURE outside a
   * collision we can resolve (section 2.25: it is busy) and should start a new attempt after a
   * random delay. Any other refusal is reported and not retried.
   */
  public static IkeRekeyTask initiator(ExchangeContext context, Runnable retryLater) {
    return new IkeRekeyTask(context, true, retryLater);
  }

  /** The peer rekeys the IKE SA. */
  public static IkeRekeyTask responder(ExchangeContext context) {
    return new IkeRekeyTask(context, false, () -> { });
  }

  @Override
  public String name() {
    return "IKE_REKEY";
  }

  @Override
  public void build(List<IkePayload> out) throws IkeExchangeException {
    Bytes spi = Bytes.of(ByteBuffer.allocate(8).putLong(newSpi).array());
    if (initiator) {
      if (sa.state() == IkeSaState.ESTABLISHED) {
        sa.transition(IkeSaState.REKEYING);
      }
      List<Proposal> proposals = sa.config().ikeProposals().proposals();
      offered = ProposalOffer.numbered(proposals);
      List<SaProposal> wire = new ArrayList<>();
      for (int i = 0; i < proposals.size(); i++) {
        wire.add(SaProposal.of(i + 1, proposals.get(i), spi));
      }
      out.add(new SaPayload(wire));
    } else {
      out.add(new SaPayload(List.of(
          SaProposal.of(selection.proposalNumber(), selection.chosen(), spi))));
    }
    out.add(new NoncePayload(Bytes.of(nonce)));
    out.add(new KePayload(group.transformId(), Bytes.of(keyExchange().publicValue())));
    if (!initiator) {
      if (crossesOurRekey) {
        // RFC 7296 section 2.8.2: we cannot know yet which SA survives; note it and go on.
        IkeSa candidate = newSa(selection.chosen());
        candidate.setCollisionCandidate(true);
        sa.setRekeyCollision(new IkeSa.RekeyCollision(candidate, peerNonce, nonce));
        LOG.info("IKE SA {}: peer's rekey to {} crosses ours", sa.info().spis(),
            candidate.info().spis());
        context.ikeSaRekeyed().candidate(candidate);
      } else {
        takeOver(newSa(selection.chosen()), false);
      }
    }
  }

  @Override
  public Status process(IkeMessage in) throws IkeExchangeException {
    try {
      return processMessage(in);
    } catch (IkeExchangeException e) {
      if (initiator && sa.state() == IkeSaState.REKEYING) {
        IkeSa.RekeyCollision crossing = sa.rekeyCollision();
        if (crossing != null && crossing.created().state() == IkeSaState.ESTABLISHED) {
          // RFC 7296 section 2.8.2: only the peer's new SA exists, so it is the survivor.
          LOG.info("IKE SA {}: our rekey failed, the peer's crossing rekey survives",
              sa.info().spis());
          survive(crossing.created(), false);
          // Not a failure: the rekey happened, with the peer's SA.
          return Status.DONE;
        } else {
          sa.transition(IkeSaState.ESTABLISHED);
          if (e.notifyType().equals(NotifyType.TEMPORARY_FAILURE)) {
            // RFC 7296 section 2.25: the peer is busy; the old SA stays in service and the rekey
            // is tried again later, so nothing has failed yet.
            LOG.info("IKE SA {}: peer answered our rekey with TEMPORARY_FAILURE, retrying later",
                sa.info().spis());
            retryLater.run();
            throw IkeExchangeException.willRetry(e.notifyType(), e.getMessage());
          }
        }
      }
      throw e;
    }
  }

  private Status processMessage(IkeMessage in) throws IkeExchangeException {
    crossesOurRekey = !initiator && sa.state() == IkeSaState.REKEYING
        && sa.rekeyCollision() == null;
    if (!initiator && sa.state() != IkeSaState.ESTABLISHED && !crossesOurRekey) {
      // RFC 7296 section 2.25: this SA is already replaced or being deleted. When we replaced
      // it, the peer's request crossed our completed rekey (section 2.8.2) and our SA survives.
      throw IkeExchangeException.quietRefusal(NotifyType.TEMPORARY_FAILURE,
          "IKE SA " + sa.info().spis() + " is " + sa.state() + "; peer's rekey collides");
    }
    if (!initiator && !context.rekeyAdmission().admit(sa.config().name(),
        dev.ferry.vpn.ike.RekeyAdmission.Kind.IKE_SA)) {
      // RFC 7296 section 2.25: a temporary condition; the peer retries later, the SA stays.
      throw IkeExchangeException.quietRefusal(NotifyType.TEMPORARY_FAILURE,
          "not taking on a rekey of IKE SA " + sa.info().spis() + " now");
    }
    if (initiator) {
      Optional<NotifyPayload> invalidKe = in.notify(NotifyType.INVALID_KE_PAYLOAD);
      if (invalidKe.isPresent()) {
        return retryWithGroup(invalidKe.get().data());
      }
      for (NotifyPayload n : in.payloads(NotifyPayload.class)) {
        if (n.notifyType().isError()) {
          throw IkeExchangeException.childFailed(n.notifyType(), true,
              "peer " + sa.remote() + " refused to rekey IKE SA " + sa.info().spis());
        }
      }
    }
    SaPayload saPayload = in.first(SaPayload.class).orElseThrow(() ->
        IkeExchangeException.childFailed(NotifyType.INVALID_SYNTAX, false,
            "IKE rekey without SA payload"));
    peerNonce = in.first(NoncePayload.class).map(n -> n.nonce().toByteArray()).orElseThrow(() ->
        IkeExchangeException.childFailed(NotifyType.INVALID_SYNTAX, false,
            "IKE rekey without nonce"));
    KePayload ke = in.first(KePayload.class).orElseThrow(() ->
        IkeExchangeException.childFailed(NotifyType.INVALID_SYNTAX, false,
            "IKE rekey without KE (RFC 7296 section 1.3.2 requires one)"));
    SaProposal chosenWire;
    if (initiator) {
      if (saPayload.proposals().size() != 1) {
        throw IkeExchangeException.childFailed(NotifyType.NO_PROPOSAL_CHOSEN, false,
            "peer answered the IKE rekey with " + saPayload.proposals().size() + " proposals");
      }
      chosenWire = saPayload.proposals().get(0);
      Proposal chosen = WireProposals.toOffer(chosenWire)
          .flatMap(answer -> ProposalSelector.checkAnswer(offered, answer))
          .orElseThrow(() -> IkeExchangeException.childFailed(NotifyType.NO_PROPOSAL_CHOSEN,
              false, "peer chose an IKE proposal we did not offer"));
      selection = new ProposalSelector.Selection(chosenWire.number(), chosen);
      if (ke.method() != group.transformId()) {
        throw IkeExchangeException.childFailed(NotifyType.INVALID_KE_PAYLOAD, false,
            "peer's KE group " + ke.method() + " is not " + group);
      }
    } else {
      Optional<KeyExchangeMethod> offeredGroup = KeyExchangeMethod.fromTransformId(ke.method());
      selection = ProposalSelector.select(WireProposals.toOffers(saPayload.proposals()),
          sa.config().ikeProposals(), offeredGroup).orElseThrow(() ->
          IkeExchangeException.childFailed(NotifyType.NO_PROPOSAL_CHOSEN, false,
              "no IKE proposal of " + sa.remote() + " matches " + sa.config().ikeProposals()));
      group = (KeyExchangeMethod) selection.chosen().first(TransformType.KE).orElseThrow()
          .algorithm();
      if (offeredGroup.isEmpty() || offeredGroup.get() != group) {
        throw IkeExchangeException.childFailed(NotifyType.INVALID_KE_PAYLOAD,
            Bytes.of((byte) (group.transformId() >> 8), (byte) group.transformId()),
            "KEi group does not match the selected " + group);
      }
      chosenWire = saPayload.proposals().stream()
          .filter(p -> p.number() == selection.proposalNumber()).findFirst().orElseThrow();
    }
    if (chosenWire.spi().length() != 8) {
      throw IkeExchangeException.childFailed(NotifyType.INVALID_SYNTAX, false,
          "new IKE SPI of " + chosenWire.spi().length() + " octets, not 8 (RFC 7296 3.3.1)");
    }
    peerSpi = ByteBuffer.wrap(chosenWire.spi().toByteArray()).getLong();
    try {
      sharedSecret = keyExchange().computeSharedSecret(ke.data().toByteArray());
    } catch (KeyExchangeException e) {
      throw IkeExchangeException.childFailed(NotifyType.INVALID_SYNTAX, false,
          "peer's " + group + " public value is invalid: " + e.getMessage());
    }
    if (initiator) {
      completeOurRekey(newSa(selection.chosen()));
    }
    return Status.DONE;
  }

  /**
   * Our rekey is done. Without a crossing rekey its SA takes over; otherwise RFC 7296 section
   * 2.8.2 decides: the new SA created with the lowest of the four nonces is redundant and closed
   * by its creator, and the initiator of the survivor deletes the old SA.
   */
  private void completeOurRekey(IkeSa ours) {
    IkeSa.RekeyCollision crossing = sa.rekeyCollision();
    if (crossing == null) {
      takeOver(ours, true);
      return;
    }
    boolean oursIsRedundant = lowestNonceIsInFirst(nonce, peerNonce, crossing.nonceI(),
        crossing.nonceR());
    LOG.info("IKE SA {}: simultaneous rekey, {} survives", sa.info().spis(),
        oursIsRedundant ? "the peer's " + crossing.created().info().spis()
            : "ours " + ours.info().spis());
    if (oursIsRedundant) {
      ours.setCollisionCandidate(true);
      context.ikeSaRekeyed().candidate(ours);
      survive(crossing.created(), false);
      context.ikeSaRekeyed().redundant(ours);
    } else {
      // The peer's candidate stays silent until the peer deletes it.
      takeOver(ours, true);
    }
  }

  /**
   * RFC 7296 section 2.8.2: true when the lowest of the four nonces belongs to the first
   * exchange ({@code firstI}, {@code firstR}); nonces compare as unsigned octet strings.
   */
  static boolean lowestNonceIsInFirst(byte[] firstI, byte[] firstR, byte[] secondI,
      byte[] secondR) {
    byte[] first = java.util.Arrays.compareUnsigned(firstI, firstR) <= 0 ? firstI : firstR;
    byte[] second = java.util.Arrays.compareUnsigned(secondI, secondR) <= 0 ? secondI : secondR;
    return java.util.Arrays.compareUnsigned(first, second) < 0;
  }

  private void survive(IkeSa survivor, boolean deleteOld) {
    survivor.setCollisionCandidate(false);
    takeOver(context, survivor, deleteOld);
  }

  /**
   * The peer deletes {@code context}'s IKE SA while our rekey of it is outstanding and its own
   * crossing rekey was already answered by us: the peer received our answer before our request
   * (or never noticed the collision), so its new SA is the one it keeps and ours will never
   * exist (RFC 7296 section 2.8.2; section 2.25.2: a delete of an SA being rekeyed is answered
   * and our own rekey forgotten). The peer's SA takes over the CHILD SAs before the old SA goes,
   * so they survive the delete. Returns false (and changes nothing) without such a crossing rekey.
   */
  public static boolean concludeBeforeDelete(ExchangeContext context) {
    IkeSa sa = context.sa();
    IkeSa.RekeyCollision crossing = sa.rekeyCollision();
    if (sa.state() != IkeSaState.REKEYING || crossing == null
        || crossing.created().state() != IkeSaState.ESTABLISHED) {
      return false;
    }
    LOG.info("IKE SA {}: peer deletes it before answering our rekey, its rekey to {} survives",
        sa.info().spis(), crossing.created().info().spis());
    crossing.created().setCollisionCandidate(false);
    takeOver(context, crossing.created(), false);
    return true;
  }

  private Status retryWithGroup(Bytes data) throws IkeExchangeException {
    int requested = data.length() == 2 ? (data.get(0) << 8) | data.get(1) : -1;
    Optional<KeyExchangeMethod> method = KeyExchangeMethod.fromTransformId(requested);
    if (groupRetried || method.isEmpty() || method.get() == group
        || sa.config().ikeProposals().proposals().stream()
            .noneMatch(p -> p.keyExchange().contains(Transform.of(method.get())))) {
      throw IkeExchangeException.childFailed(NotifyType.INVALID_KE_PAYLOAD, true,
          "peer asks for KE group " + requested + (groupRetried ? " after we already switched to "
              + group : ", not in " + sa.config().ikeProposals()));
    }
    groupRetried = true;
    group = method.get();
    return Status.RETRY;
  }

  private KeyExchange keyExchange() {
    if (keyExchange == null || keyExchange.method() != group) {
      keyExchange = context.crypto().keyExchange(Transform.of(group));
    }
    return keyExchange;
  }

  /** The new IKE SA this exchange created, keyed and ESTABLISHED, without CHILD SAs yet. */
  private IkeSa newSa(Proposal chosen) {
    // RFC 7296 section 2.18: the new SA's initiator is this exchange's initiator; SPIi is its SPI.
    long spiI = initiator ? newSpi : peerSpi;
    long spiR = initiator ? peerSpi : newSpi;
    byte[] ni = initiator ? nonce : peerNonce;
    byte[] nr = initiator ? peerNonce : nonce;
    IkeCryptoSuite suite = IkeCryptoSuite.of(chosen);
    Secret skeyseed = sa.suite().rekeySkeyseed(context.crypto(), sa.keys().skD(), sharedSecret,
        ni, nr);
    IkeKeys keys = suite.keys(context.crypto(), skeyseed, ni, nr, spiI, spiR);
    IkeSa fresh = new IkeSa(sa.config(), initiator, spiI, spiR, sa.local(), sa.remote());
    Direction out = fresh.outboundDirection();
    Direction in = out == Direction.INITIATOR_TO_RESPONDER
        ? Direction.RESPONDER_TO_INITIATOR : Direction.INITIATOR_TO_RESPONDER;
    fresh.setKeys(chosen, suite, keys, suite.protector(context.crypto(), keys, out),
        suite.protector(context.crypto(), keys, in));
    fresh.setNonces(ni, nr);
    fresh.setNat(sa.localBehindNat(), sa.remoteBehindNat());
    fresh.setPeerSupportsFragmentation(sa.peerSupportsFragmentation());
    fresh.setPeerIdentity(sa.peerIdentity(), false);
    fresh.transition(IkeSaState.CONNECTING);
    fresh.transition(IkeSaState.ESTABLISHED);
    return fresh;
  }

  /** Moves every CHILD SA to {@code fresh}, retires the old SA and hands {@code fresh} over. */
  private void takeOver(IkeSa fresh, boolean deleteOld) {
    takeOver(context, fresh, deleteOld);
  }

  private static void takeOver(ExchangeContext context, IkeSa fresh, boolean deleteOld) {
    IkeSa sa = context.sa();
    for (ChildSaSpec child : sa.childSas()) {
      fresh.addChildSa(child);
      sa.removeChildSa(child);
    }
    sa.transition(IkeSaState.REKEYED);
    LOG.info("IKE SA {} rekeyed as {} with {}", sa.info().spis(), fresh.info().spis(),
        fresh.proposal());
    context.ikeSaRekeyed().replaced(fresh, deleteOld);
  }
}
