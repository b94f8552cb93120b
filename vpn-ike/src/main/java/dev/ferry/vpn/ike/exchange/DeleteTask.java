package dev.ferry.vpn.ike.exchange;

import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.ike.IkeEvent;
import dev.ferry.vpn.ike.message.Bytes;
import dev.ferry.vpn.ike.message.DeletePayload;
import dev.ferry.vpn.ike.message.IkeMessage;
import dev.ferry.vpn.ike.message.IkePayload;
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
 * DELETE in INFORMATIONAL exchanges (RFC 7296 section 1.4.1), both roles. Deleting the IKE SA
 * moves it to DELETING; the task manager ends it once the exchange is over (after our response
 * as responder). Deleting CHILD SAs names each by the SPI its sender receives on; the responder
 * answers with the SPIs of its own halves, and both sides remove the pair from the data plane.
 * A responder INFORMATIONAL without DELETE is a liveness check answered empty (section 2.4).
 */
public final class DeleteTask implements IkeTask {
  private static final Logger LOG = LoggerFactory.getLogger(DeleteTask.class);

  private final ExchangeContext context;
  private final IkeSa sa;
  private final boolean wholeIkeSa;
  private final List<ChildSaSpec> children = new ArrayList<>();

  private DeleteTask(ExchangeContext context, boolean wholeIkeSa, List<ChildSaSpec> children) {
    this.context = context;
    this.sa = context.sa();
    this.wholeIkeSa = wholeIkeSa;
    this.children.addAll(children);
  }

  /** Initiator: delete the IKE SA (and with it every CHILD SA). */
  public static DeleteTask ikeSa(ExchangeContext context) {
    return new DeleteTask(context, true, List.of());
  }

  /** Initiator: delete one CHILD SA. */
  public static DeleteTask childSa(ExchangeContext context, ChildSaSpec child) {
    return new DeleteTask(context, false, List.of(child));
  }

  /** Responder: handles whatever DELETE payloads the request carries (or none, for DPD). */
  public static DeleteTask responder(ExchangeContext context) {
    return new DeleteTask(context, false, List.of());
  }

  @Override
  public String name() {
    return wholeIkeSa ? "IKE_DELETE" : "CHILD_DELETE";
  }

  @Override
  public void build(List<IkePayload> out) {
    if (wholeIkeSa) {
      out.add(DeletePayload.ikeSa());
      markDeleting();
      return;
    }
    if (!children.isEmpty()) {
      // RFC 7296 section 1.4.1: each side names the SAs it receives on (its inbound SPIs).
      out.add(DeletePayload.esp(children.stream()
          .map(c -> Bytes.of(ByteBuffer.allocate(4).putInt(c.inboundSpi()).array()))
          .toList()));
    }
  }

  @Override
  public Status process(IkeMessage in) {
    boolean responderRole = !wholeIkeSa && children.isEmpty();
    for (DeletePayload d : in.payloads(DeletePayload.class)) {
      if (d.protocolId() == SaProposal.PROTOCOL_IKE && responderRole) {
        // RFC 7296 section 1.4.1: the IKE SA and all its CHILD SAs go; the answer is empty.
        LOG.info("peer {} deletes IKE SA {}", sa.remote(), sa.info().spis());
        // RFC 7296 section 2.8.2: if the peer's crossing rekey already produced the SA it keeps,
        // the CHILD SAs move there before this one goes.
        IkeRekeyTask.concludeBeforeDelete(context);
        // Both peers may delete at once (our own DELETE still unanswered): the SA is already
        // DELETING, we still answer, and the answer to our request may never come (section 1.4.1).
        markDeleting();
        return Status.DONE;
      }
      if (d.protocolId() == SaProposal.PROTOCOL_ESP && d.spiSize() == 4) {
        for (Bytes spi : d.spis()) {
          int peerInbound = ByteBuffer.wrap(spi.toByteArray()).getInt();
          findByOutbound(peerInbound).ifPresent(child -> {
            if (responderRole && !children.contains(child)) {
              children.add(child);
            }
          });
        }
      }
    }
    if (!wholeIkeSa) {
      for (ChildSaSpec child : children) {
        remove(child);
      }
    }
    return Status.DONE;
  }

  /** DELETING is entered once; a retransmitted build or a crossing peer DELETE finds it there. */
  private void markDeleting() {
    if (sa.state() != IkeSaState.DELETING) {
      sa.transition(IkeSaState.DELETING);
    }
  }

  private Optional<ChildSaSpec> findByOutbound(int outboundSpi) {
    return sa.childSas().stream().filter(c -> c.outboundSpi() == outboundSpi).findFirst();
  }

  private void remove(ChildSaSpec child) {
    if (!sa.childSas().contains(child)) {
      return;
    }
    context.installer().remove(child.inboundSpi());
    sa.removeChildSa(child);
    LOG.info("CHILD SA {} deleted", child);
    context.events().accept(new IkeEvent.ChildSaDeleted(sa.config().name(), sa.remote(), child,
        "deleted by INFORMATIONAL exchange"));
  }
}
