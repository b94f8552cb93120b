package dev.ferry.vpn.ike.exchange;

import dev.ferry.vpn.core.crypto.KeyExchange;
import dev.ferry.vpn.core.crypto.KeyExchangeException;
import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.proposal.KeyExchangeMethod;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.Transform;
import dev.ferry.vpn.core.proposal.TransformType;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The IKE_SA_INIT core (RFC 7296 section 1.2): SA, KE and nonce both ways, key derivation (section
 * 2.14), INVALID_KE_PAYLOAD retry with the group the responder asks for (section 1.3), returning a
 * COOKIE (section 2.6), and the IKEV2_FRAGMENTATION_SUPPORTED (RFC 7383 section 2.3) and
 * SIGNATURE_HASH_ALGORITHMS (RFC 7427 section 4) notifies.
 */
public final class IkeInitTask implements IkeTask {
  /** Our nonce length; RFC 7296 section 2.10 asks for at least 16 octets and half the PRF key. */
  static final int NONCE_LENGTH = 32;
  /** RFC 7296 section 3.9: nonces are 16 to 256 octets. */
  private static final int MIN_NONCE = 16;
  private static final int MAX_NONCE = 256;
  /** RFC 7427 section 4 / RFC 7427 IANA: SHA2-256 (2), SHA2-384 (3), SHA2-512 (4). */
  private static final Bytes SIGNATURE_HASHES = Bytes.fromHex("000200030004");
  /** How often the initiator follows INVALID_KE_PAYLOAD before giving up (loops are a bug). */
  private static final int MAX_KE_RETRIES = 2;

  private final ExchangeContext context;
  private final IkeSa sa;
  private final byte[] ownNonce;
  private KeyExchangeMethod group;
  private KeyExchange keyExchange;
  private Bytes cookie = Bytes.EMPTY;
  private int keRetries;
  private List<ProposalOffer> offered;
  private ProposalSelector.Selection selection;
  private Bytes peerKe;

  public IkeInitTask(ExchangeContext context) {
    this.context = context;
    this.sa = context.sa();
    this.ownNonce = context.randomBytes(NONCE_LENGTH);
    if (sa.isInitiator()) {
      group = (KeyExchangeMethod) sa.config().ikeProposals().proposals().get(0)
          .first(TransformType.KE).orElseThrow().algorithm();
    }
  }

  @Override
  public String name() {
    return "IKE_INIT";
  }

  @Override
  public void build(List<IkePayload> out) throws IkeExchangeException {
    if (sa.isInitiator()) {
      if (!cookie.isEmpty()) {
        // RFC 7296 section 2.6: the returned COOKIE is the first payload.
        out.add(NotifyPayload.of(NotifyType.COOKIE, cookie));
      }
      if (keyExchange == null || keyExchange.method() != group) {
        keyExchange = context.crypto().keyExchange(Transform.of(group));
      }
      offered = ProposalOffer.numbered(sa.config().ikeProposals().proposals());
      List<SaProposal> proposals = new ArrayList<>();
      for (int i = 0; i < offered.size(); i++) {
        proposals.add(SaProposal.of(i + 1, sa.config().ikeProposals().proposals().get(i),
            Bytes.EMPTY));
      }
      out.add(new SaPayload(proposals));
    } else {
      keyExchange = context.crypto().keyExchange(Transform.of(group));
      out.add(new SaPayload(List.of(
          SaProposal.of(selection.proposalNumber(), selection.chosen(), Bytes.EMPTY))));
      deriveKeys(peerKe);
    }
    out.add(new KePayload(group.transformId(), Bytes.of(keyExchange.publicValue())));
    out.add(new NoncePayload(Bytes.of(ownNonce)));
    out.add(NotifyPayload.of(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED));
    out.add(NotifyPayload.of(NotifyType.SIGNATURE_HASH_ALGORITHMS, SIGNATURE_HASHES));
  }

  @Override
  public Status process(IkeMessage in) throws IkeExchangeException {
    return sa.isInitiator() ? processResponse(in) : processRequest(in);
  }

  private Status processRequest(IkeMessage in) throws IkeExchangeException {
    SaPayload saPayload = in.first(SaPayload.class).orElseThrow(() -> IkeExchangeException
        .rejectPeer(NotifyType.INVALID_SYNTAX, Bytes.EMPTY, "IKE_SA_INIT request without SA"));
    KePayload ke = in.first(KePayload.class).orElseThrow(() -> IkeExchangeException
        .rejectPeer(NotifyType.INVALID_SYNTAX, Bytes.EMPTY, "IKE_SA_INIT request without KE"));
    byte[] nonceI = nonce(in);
    Optional<KeyExchangeMethod> offeredGroup = KeyExchangeMethod.fromTransformId(ke.method());
    selection = ProposalSelector.select(WireProposals.toOffers(saPayload.proposals()),
        sa.config().ikeProposals(), offeredGroup).orElseThrow(() -> IkeExchangeException
        .rejectPeer(NotifyType.NO_PROPOSAL_CHOSEN, Bytes.EMPTY,
            "no IKE proposal of " + sa.remote() + " matches " + sa.config().ikeProposals()));
    group = (KeyExchangeMethod) selection.chosen().first(TransformType.KE).orElseThrow()
        .algorithm();
    if (offeredGroup.isEmpty() || offeredGroup.get() != group) {
      // RFC 7296 section 1.3: answer INVALID_KE_PAYLOAD naming the group we selected.
      throw IkeExchangeException.quietRetryRequest(NotifyType.INVALID_KE_PAYLOAD,
          Bytes.of((byte) (group.transformId() >> 8), (byte) group.transformId()),
          "KEi uses group " + ke.method() + ", selected " + group);
    }
    peerKe = ke.data();
    sa.setNonces(nonceI, ownNonce);
    sa.setPeerSupportsFragmentation(
        in.notify(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED).isPresent());
    return Status.DONE;
  }

  private Status processResponse(IkeMessage in) throws IkeExchangeException {
    Optional<NotifyPayload> cookieNotify = in.notify(NotifyType.COOKIE);
    if (cookieNotify.isPresent() && cookie.isEmpty()) {
      // RFC 7296 section 2.6: retry with the cookie, same SPIi, nonce and KE.
      cookie = cookieNotify.get().data();
      return Status.RETRY;
    }
    Optional<NotifyPayload> invalidKe = in.notify(NotifyType.INVALID_KE_PAYLOAD);
    if (invalidKe.isPresent()) {
      return retryWithGroup(invalidKe.get().data());
    }
    for (NotifyPayload n : in.payloads(NotifyPayload.class)) {
      if (n.notifyType().isError()) {
        throw IkeExchangeException.peerRefused(n.notifyType(),
            "peer " + sa.remote() + " refused IKE_SA_INIT of " + sa.config().name());
      }
    }
    SaPayload saPayload = in.first(SaPayload.class).orElseThrow(() -> IkeExchangeException
        .rejectPeer(NotifyType.INVALID_SYNTAX, Bytes.EMPTY, "IKE_SA_INIT response without SA"));
    if (saPayload.proposals().size() != 1) {
      throw IkeExchangeException.rejectPeer(NotifyType.NO_PROPOSAL_CHOSEN, Bytes.EMPTY,
          "peer answered with " + saPayload.proposals().size() + " proposals, not one");
    }
    Proposal chosen = WireProposals.toOffer(saPayload.proposals().get(0))
        .flatMap(answer -> ProposalSelector.checkAnswer(offered, answer))
        .orElseThrow(() -> IkeExchangeException.rejectPeer(NotifyType.NO_PROPOSAL_CHOSEN,
            Bytes.EMPTY, "peer chose an IKE proposal we did not offer"));
    KePayload ke = in.first(KePayload.class).orElseThrow(() -> IkeExchangeException
        .rejectPeer(NotifyType.INVALID_SYNTAX, Bytes.EMPTY, "IKE_SA_INIT response without KE"));
    if (ke.method() != group.transformId()
        || chosen.first(TransformType.KE).orElseThrow().algorithm() != group) {
      throw IkeExchangeException.rejectPeer(NotifyType.INVALID_KE_PAYLOAD, Bytes.EMPTY,
          "peer's KE group " + ke.method() + " is not the negotiated " + group);
    }
    byte[] nonceR = nonce(in);
    sa.setResponderSpi(in.responderSpi());
    sa.setNonces(ownNonce, nonceR);
    selection = new ProposalSelector.Selection(saPayload.proposals().get(0).number(), chosen);
    sa.setPeerSupportsFragmentation(
        in.notify(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED).isPresent());
    deriveKeys(ke.data());
    return Status.DONE;
  }

  private Status retryWithGroup(Bytes data) throws IkeExchangeException {
    int requested = data.length() == 2 ? (data.get(0) << 8) | data.get(1) : -1;
    Optional<KeyExchangeMethod> method = KeyExchangeMethod.fromTransformId(requested);
    boolean acceptable = method.isPresent() && sa.config().ikeProposals().proposals().stream()
        .anyMatch(p -> p.keyExchange().contains(Transform.of(method.get())));
    // RFC 7296 section 1.3: retry with the requested group if we offered it, and only then.
    if (!acceptable || method.get() == group || ++keRetries > MAX_KE_RETRIES) {
      throw IkeExchangeException.peerRefused(NotifyType.INVALID_KE_PAYLOAD,
          "peer " + sa.remote() + " asks for KE group " + requested
              + ", which is not in our proposals " + sa.config().ikeProposals());
    }
    group = method.get();
    return Status.RETRY;
  }

  private byte[] nonce(IkeMessage in) throws IkeExchangeException {
    NoncePayload nonce = in.first(NoncePayload.class).orElseThrow(() -> IkeExchangeException
        .rejectPeer(NotifyType.INVALID_SYNTAX, Bytes.EMPTY, "IKE_SA_INIT without nonce"));
    int length = nonce.nonce().length();
    if (length < MIN_NONCE || length > MAX_NONCE) {
      throw IkeExchangeException.rejectPeer(NotifyType.INVALID_SYNTAX, Bytes.EMPTY,
          "nonce of " + length + " octets is outside 16..256 (RFC 7296 section 3.9)");
    }
    return nonce.nonce().toByteArray();
  }

  private void deriveKeys(Bytes peerPublicValue) throws IkeExchangeException {
    Secret shared;
    try {
      shared = keyExchange.computeSharedSecret(peerPublicValue.toByteArray());
    } catch (KeyExchangeException e) {
      // RFC 7296 section 2.21: an invalid public value makes the message malformed.
      throw IkeExchangeException.rejectPeer(NotifyType.INVALID_SYNTAX, Bytes.EMPTY,
          "peer's " + group + " public value is invalid: " + e.getMessage());
    }
    Proposal chosen = selection.chosen();
    IkeCryptoSuite suite = IkeCryptoSuite.of(chosen);
    IkeKeys keys = suite.deriveKeys(context.crypto(), sa.nonceI(), sa.nonceR(), shared,
        sa.initiatorSpi(), sa.responderSpi());
    Direction out = sa.outboundDirection();
    Direction in = out == Direction.INITIATOR_TO_RESPONDER
        ? Direction.RESPONDER_TO_INITIATOR : Direction.INITIATOR_TO_RESPONDER;
    sa.setKeys(chosen, suite, keys, suite.protector(context.crypto(), keys, out),
        suite.protector(context.crypto(), keys, in));
  }
}
