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
 * <p>Simultaneous rekeys: while our rekey is outstanding the SA is REKEYING and a rekey request
 * from the peer is answered TEMPORARY_FAILURE (section 2.25); both sides then retry after a
 * random delay, so one wins. Not done: the section 2.8.2 nonce comparison that would keep one of
 * two completed rekeys instead.
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
   * We rekey the IKE SA; {@code retryLater} runs when the peer answers TEMPORARY_FAILURE (it is
   * rekeying too) and should start a new attempt after a random delay.
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
      adoptNewSa(selection.chosen());
    }
  }

  @Override
  public Status process(IkeMessage in) throws IkeExchangeException {
    try {
      return processMessage(in);
    } catch (IkeExchangeException e) {
      if (initiator && sa.state() == IkeSaState.REKEYING) {
        sa.transition(IkeSaState.ESTABLISHED);
        if (e.notifyType().equals(NotifyType.TEMPORARY_FAILURE)) {
          retryLater.run();
        }
      }
      throw e;
    }
  }

  private Status processMessage(IkeMessage in) throws IkeExchangeException {
    if (!initiator && sa.state() != IkeSaState.ESTABLISHED) {
      // RFC 7296 section 2.25: we are rekeying (or deleting) this SA ourselves.
      throw IkeExchangeException.childFailed(NotifyType.TEMPORARY_FAILURE, false,
          "IKE SA " + sa.info().spis() + " is " + sa.state() + "; peer's rekey collides");
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
      adoptNewSa(selection.chosen());
    }
    return Status.DONE;
  }

  private Status retryWithGroup(Bytes data) throws IkeExchangeException {
    int requested = data.length() == 2 ? (data.get(0) << 8) | data.get(1) : -1;
    Optional<KeyExchangeMethod> method = KeyExchangeMethod.fromTransformId(requested);
    if (method.isEmpty() || method.get() == group || sa.config().ikeProposals().proposals()
        .stream().noneMatch(p -> p.keyExchange().contains(Transform.of(method.get())))) {
      throw IkeExchangeException.childFailed(NotifyType.INVALID_KE_PAYLOAD, true,
          "peer asks for KE group " + requested + ", not in " + sa.config().ikeProposals());
    }
    group = method.get();
    return Status.RETRY;
  }

  private KeyExchange keyExchange() {
    if (keyExchange == null || keyExchange.method() != group) {
      keyExchange = context.crypto().keyExchange(Transform.of(group));
    }
    return keyExchange;
  }

  private void adoptNewSa(Proposal chosen) {
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
    for (ChildSaSpec child : sa.childSas()) {
      fresh.addChildSa(child);
      sa.removeChildSa(child);
    }
    sa.transition(IkeSaState.REKEYED);
    LOG.info("IKE SA {} rekeyed as {} with {}", sa.info().spis(), fresh.info().spis(), chosen);
    context.ikeSaRekeyed().accept(fresh);
  }
}
