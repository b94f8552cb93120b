package dev.ferry.vpn.ike.exchange;

import dev.ferry.vpn.core.config.Identity;
import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.ike.IkeEvent;
import dev.ferry.vpn.ike.crypto.PskAuth;
import dev.ferry.vpn.ike.message.AuthMethod;
import dev.ferry.vpn.ike.message.AuthPayload;
import dev.ferry.vpn.ike.message.Bytes;
import dev.ferry.vpn.ike.message.IdPayload;
import dev.ferry.vpn.ike.message.IkeMessage;
import dev.ferry.vpn.ike.message.IkePayload;
import dev.ferry.vpn.ike.message.NotifyPayload;
import dev.ferry.vpn.ike.message.NotifyType;
import dev.ferry.vpn.ike.message.PayloadType;
import dev.ferry.vpn.ike.sa.IkeSa;
import dev.ferry.vpn.ike.IkeSaState;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IKE_AUTH with pre-shared keys in both roles (RFC 7296 sections 1.2 and 2.15): identities, AUTH
 * over the IKE_SA_INIT message, the peer's nonce and prf(SK_p, ID), INITIAL_CONTACT (section 2.4)
 * from the initiator. A wrong key or identity is reported as an authentication failure naming the
 * peer and connection, never the key.
 */
public final class IkeAuthTask implements IkeTask {
  private static final Logger LOG = LoggerFactory.getLogger(IkeAuthTask.class);

  private final ExchangeContext context;
  private final IkeSa sa;
  private boolean peerSentInitialContact;

  public IkeAuthTask(ExchangeContext context) {
    this.context = context;
    this.sa = context.sa();
  }

  @Override
  public String name() {
    return "IKE_AUTH";
  }

  /** True when the initiator asked to forget its older IKE SAs with us (section 2.4). */
  public boolean peerSentInitialContact() {
    return peerSentInitialContact;
  }

  @Override
  public void build(List<IkePayload> out) {
    PayloadType ownType = sa.isInitiator() ? PayloadType.IDI : PayloadType.IDR;
    IdPayload ownId = Identities.toPayload(ownType, sa.config().localIdentity());
    out.add(ownId);
    if (sa.isInitiator()) {
      out.add(NotifyPayload.of(NotifyType.INITIAL_CONTACT));
      Identity remote = sa.config().remoteIdentity();
      if (remote.kind() != Identity.Kind.ANY) {
        out.add(Identities.toPayload(PayloadType.IDR, remote));
      }
    }
    out.add(new AuthPayload(AuthMethod.SHARED_KEY_MESSAGE_INTEGRITY_CODE, Bytes.of(ownAuth(ownId))));
    if (!sa.isInitiator()) {
      established();
    }
  }

  @Override
  public Status process(IkeMessage in) throws IkeExchangeException {
    if (sa.isInitiator()) {
      for (NotifyPayload n : in.payloads(NotifyPayload.class)) {
        if (n.notifyType().equals(NotifyType.AUTHENTICATION_FAILED)) {
          throw IkeExchangeException.authenticationFailed("peer " + sa.remote()
              + " rejected our authentication for connection " + sa.config().name()
              + " (check the pre-shared key and identities)");
        }
        if (n.notifyType().isError() && in.first(AuthPayload.class).isEmpty()) {
          throw IkeExchangeException.peerRefused(n.notifyType(),
              "peer " + sa.remote() + " refused IKE_AUTH of " + sa.config().name());
        }
      }
    }
    PayloadType peerType = sa.isInitiator() ? PayloadType.IDR : PayloadType.IDI;
    IdPayload peerId = in.payloads(IdPayload.class).stream()
        .filter(id -> id.type().equals(peerType)).findFirst()
        .orElseThrow(() -> IkeExchangeException.authenticationFailed(
            "IKE_AUTH from " + sa.remote() + " carries no " + peerType + " payload"));
    AuthPayload auth = in.first(AuthPayload.class).orElseThrow(() -> IkeExchangeException
        .authenticationFailed("IKE_AUTH from " + sa.remote() + " carries no AUTH payload"));
    if (!sa.isInitiator()) {
      selectConfigByIdentity(peerId, in);
    }
    if (!Identities.matches(sa.config().remoteIdentity(), peerId)) {
      throw IkeExchangeException.authenticationFailed("peer " + sa.remote() + " identifies as "
          + Identities.describe(peerId) + ", connection " + sa.config().name() + " expects "
          + sa.config().remoteIdentity());
    }
    if (!auth.method().equals(AuthMethod.SHARED_KEY_MESSAGE_INTEGRITY_CODE)
        || !verifyPeerAuth(auth.data().toByteArray(), peerId)) {
      // RFC 7296 section 2.15: the AUTH of a wrong key does not verify; never say which key.
      throw IkeExchangeException.authenticationFailed("AUTH of peer " + Identities.describe(peerId)
          + " at " + sa.remote() + " does not verify with the pre-shared key of connection "
          + sa.config().name() + " (keys differ?)");
    }
    peerSentInitialContact = in.notify(NotifyType.INITIAL_CONTACT).isPresent();
    sa.setPeerIdentity(Identities.describe(peerId), peerSentInitialContact);
    if (sa.isInitiator()) {
      established();
    }
    return Status.DONE;
  }

  /**
   * RFC 7296 section 2.15 (and strongSwan's peer config lookup): IKE_SA_INIT picked the first
   * configuration accepting the peer's address; now that IDi is known, the responder takes the
   * configuration expecting that identity. A configuration naming the identity beats one that
   * accepts any, one whose own identity matches the IDr the initiator asked for beats one that
   * does not, and otherwise the configured order decides. Nothing matching leaves the current
   * configuration, whose identity check then fails the authentication.
   */
  private void selectConfigByIdentity(IdPayload peerId, IkeMessage in) {
    java.util.Optional<IdPayload> wantedOwnId = in.payloads(IdPayload.class).stream()
        .filter(id -> id.type().equals(PayloadType.IDR)).findFirst();
    dev.ferry.vpn.ike.IkePeerConfig best = null;
    int bestScore = -1;
    for (dev.ferry.vpn.ike.IkePeerConfig candidate : context.configsFor().apply(sa.remote())) {
      if (!Identities.matches(candidate.remoteIdentity(), peerId)) {
        continue;
      }
      int score = (candidate.remoteIdentity().kind() == Identity.Kind.ANY ? 0 : 2)
          + (wantedOwnId.isPresent()
              && Identities.matches(candidate.localIdentity(), wantedOwnId.get()) ? 1 : 0);
      if (score > bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    if (best != null && best != sa.config()) {
      LOG.info("peer {} identifies as {}: switching from connection {} to {}", sa.remote(),
          Identities.describe(peerId), sa.config().name(), best.name());
      sa.reselectConfig(best);
    }
  }

  private byte[] ownAuth(IdPayload ownId) {
    PskAuth auth = new PskAuth(sa.suite().prf(context.crypto()));
    // RFC 7296 section 2.15: the initiator signs its IKE_SA_INIT request and Nr with SK_pi, the
    // responder its response and Ni with SK_pr.
    return sa.isInitiator()
        ? auth.compute(sa.config().presharedKey(), sa.initRequest(), sa.nonceR(),
            sa.keys().skPi(), ownId.authenticatedBody().toByteArray())
        : auth.compute(sa.config().presharedKey(), sa.initResponse(), sa.nonceI(),
            sa.keys().skPr(), ownId.authenticatedBody().toByteArray());
  }

  private boolean verifyPeerAuth(byte[] received, IdPayload peerId) {
    PskAuth auth = new PskAuth(sa.suite().prf(context.crypto()));
    Secret psk = sa.config().presharedKey();
    byte[] body = peerId.authenticatedBody().toByteArray();
    return sa.isInitiator()
        ? auth.verify(received, psk, sa.initResponse(), sa.nonceI(), sa.keys().skPr(), body)
        : auth.verify(received, psk, sa.initRequest(), sa.nonceR(), sa.keys().skPi(), body);
  }

  private void established() {
    sa.transition(IkeSaState.ESTABLISHED);
    LOG.info("IKE SA {} established between {}...{} with {}", sa.config().name(), sa.local(),
        sa.remote(), sa.proposal());
    context.events().accept(new IkeEvent.IkeSaUp(sa.config().name(), sa.remote(), sa.info()));
  }
}
