package dev.ferry.vpn.ike.exchange;

import dev.ferry.vpn.ike.message.IkeMessage;
import dev.ferry.vpn.ike.message.IkePayload;
import dev.ferry.vpn.ike.message.SaPayload;
import dev.ferry.vpn.ike.message.SaProposal;
import java.util.List;

/**
 * Answers a CREATE_CHILD_SA request: an SA payload proposing IKE means an IKE SA rekey (RFC 7296
 * section 1.3.2), anything else a new or rekeyed CHILD SA (sections 1.3.1, 1.3.3).
 */
public final class CreateChildSaResponder implements IkeTask {
  private final ExchangeContext context;
  private IkeTask delegate;

  public CreateChildSaResponder(ExchangeContext context) {
    this.context = context;
  }

  @Override
  public String name() {
    return delegate == null ? "CREATE_CHILD_SA" : delegate.name();
  }

  @Override
  public void build(List<IkePayload> out) throws IkeExchangeException {
    delegate.build(out);
  }

  @Override
  public Status process(IkeMessage in) throws IkeExchangeException {
    boolean ike = in.first(SaPayload.class).stream()
        .flatMap(sa -> sa.proposals().stream())
        .anyMatch(p -> p.protocolId() == SaProposal.PROTOCOL_IKE);
    delegate = ike ? IkeRekeyTask.responder(context) : ChildCreateTask.responder(context);
    return delegate.process(in);
  }
}
