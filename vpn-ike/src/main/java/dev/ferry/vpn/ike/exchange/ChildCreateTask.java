package dev.ferry.vpn.ike.exchange;

import dev.ferry.vpn.core.net.TrafficSelector;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.ProposalList;
import dev.ferry.vpn.core.sa.ChildSaKeys;
import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.core.sa.SaLifetime;
import dev.ferry.vpn.ike.IkeEvent;
import dev.ferry.vpn.ike.crypto.Direction;
import dev.ferry.vpn.ike.message.Bytes;
import dev.ferry.vpn.ike.message.IkeMessage;
import dev.ferry.vpn.ike.message.IkePayload;
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
 * Creates a CHILD SA (RFC 7296 sections 1.3 and 2.17): ESP proposal selection, traffic selector
 * narrowing (section 2.9), KEYMAT and installation through the data plane SPI, inbound before
 * outbound. Used for the first CHILD SA inside IKE_AUTH, where no KE is negotiated (section 1.2).
 * Failures (NO_PROPOSAL_CHOSEN, TS_UNACCEPTABLE) leave the IKE SA up and are reported.
 */
public final class ChildCreateTask implements IkeTask {
  private static final Logger LOG = LoggerFactory.getLogger(ChildCreateTask.class);
  /** SPIs 1-255 are reserved by IANA (RFC 4303 section 2.1). */
  private static final int FIRST_SPI = 256;

  private final ExchangeContext context;
  private final IkeSa sa;
  private final int inboundSpi;
  private List<ProposalOffer> offered;
  private ProposalSelector.Selection selection;
  private int outboundSpi;
  private List<TrafficSelector> tsi;
  private List<TrafficSelector> tsr;

  public ChildCreateTask(ExchangeContext context) {
    this.context = context;
    this.sa = context.sa();
    this.inboundSpi = newSpi();
  }

  @Override
  public String name() {
    return "CHILD_CREATE";
  }

  private ProposalList espProposals() {
    return new ProposalList(
        ProposalSelector.withoutKeyExchange(sa.config().espProposals().proposals()), false);
  }

  @Override
  public void build(List<IkePayload> out) {
    Bytes spi = Bytes.of(ByteBuffer.allocate(4).putInt(inboundSpi).array());
    if (sa.isInitiator()) {
      List<Proposal> proposals = espProposals().proposals();
      offered = ProposalOffer.numbered(proposals);
      List<SaProposal> wire = new ArrayList<>();
      for (int i = 0; i < proposals.size(); i++) {
        wire.add(SaProposal.of(i + 1, proposals.get(i), spi));
      }
      out.add(new SaPayload(wire));
      out.add(new TsPayload(PayloadType.TSI, sa.config().localTrafficSelectors()));
      out.add(new TsPayload(PayloadType.TSR, sa.config().remoteTrafficSelectors()));
      return;
    }
    out.add(new SaPayload(List.of(
        SaProposal.of(selection.proposalNumber(), selection.chosen(), spi))));
    out.add(new TsPayload(PayloadType.TSI, tsi));
    out.add(new TsPayload(PayloadType.TSR, tsr));
    install(selection.chosen(), tsr, tsi);
  }

  @Override
  public Status process(IkeMessage in) throws IkeExchangeException {
    if (sa.isInitiator()) {
      for (NotifyPayload n : in.payloads(NotifyPayload.class)) {
        if (n.notifyType().isError()) {
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
    if (sa.isInitiator()) {
      processResponse(saPayload, peerTsi, peerTsr);
    } else {
      processRequest(saPayload, peerTsi, peerTsr);
    }
    return Status.DONE;
  }

  private void processRequest(SaPayload saPayload, List<TrafficSelector> peerTsi,
      List<TrafficSelector> peerTsr) throws IkeExchangeException {
    selection = ProposalSelector.select(WireProposals.toOffers(saPayload.proposals()),
        espProposals(), Optional.empty()).orElseThrow(() -> IkeExchangeException.childFailed(
        NotifyType.NO_PROPOSAL_CHOSEN, false, "no ESP proposal of " + sa.remote() + " matches "
            + sa.config().espProposals()));
    outboundSpi = spiOf(saPayload.proposals().stream()
        .filter(p -> p.number() == selection.proposalNumber()).findFirst().orElseThrow());
    // RFC 7296 section 2.9: TSi is the initiator's side (our remote), TSr ours.
    tsi = TrafficSelectorNarrowing.narrow(peerTsi, sa.config().remoteTrafficSelectors());
    tsr = TrafficSelectorNarrowing.narrow(peerTsr, sa.config().localTrafficSelectors());
    if (tsi.isEmpty() || tsr.isEmpty()) {
      throw IkeExchangeException.childFailed(NotifyType.TS_UNACCEPTABLE, false,
          "peer's selectors " + peerTsi + " === " + peerTsr + " do not overlap "
              + sa.config().remoteSubnets() + " === " + sa.config().localSubnets());
    }
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
    outboundSpi = spiOf(answer);
    // RFC 7296 section 2.9: the responder may narrow our selectors but never widen them.
    if (!TrafficSelectorNarrowing.isNarrowingOf(peerTsi, sa.config().localTrafficSelectors())
        || !TrafficSelectorNarrowing.isNarrowingOf(peerTsr,
            sa.config().remoteTrafficSelectors())) {
      throw IkeExchangeException.childFailed(NotifyType.TS_UNACCEPTABLE, false,
          "peer answered selectors " + peerTsi + " === " + peerTsr + " outside what we proposed");
    }
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
    dev.ferry.vpn.ike.crypto.ChildSaKeys keymat = sa.suite().childSaKeys(context.crypto(),
        sa.keys().skD(), Optional.empty(), sa.nonceI(), sa.nonceR(), chosen);
    Direction out = sa.outboundDirection();
    Direction in = out == Direction.INITIATOR_TO_RESPONDER
        ? Direction.RESPONDER_TO_INITIATOR : Direction.INITIATOR_TO_RESPONDER;
    ChildSaSpec child = new ChildSaSpec(sa.config().name(), inboundSpi, outboundSpi, chosen,
        keys(keymat.keys(in)), keys(keymat.keys(out)), local, remote, sa.local(), sa.remote(),
        sa.natDetected(),
        SaLifetime.ofTime(sa.config().childLifetime(), sa.config().marginTime()),
        sa.config().replayWindow());
    // RFC 7296 section 2.8 / installer contract: inbound first, then outbound.
    context.installer().install(child);
    sa.addChildSa(child);
    LOG.info("CHILD SA {} installed", child);
    context.events().accept(new IkeEvent.ChildSaInstalled(sa.config().name(), sa.remote(), child));
  }

  private static ChildSaKeys keys(dev.ferry.vpn.ike.crypto.ChildSaKeys.SaKeys k) {
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
