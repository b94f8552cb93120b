package dev.ferry.vpn.ike.message;

import java.util.List;

/**
 * Security Association payload (RFC 7296 section 3.3): proposals in order of preference, each
 * numbered from 1 in an offer (section 3.3.1); a response carries exactly the accepted one with
 * its original number.
 */
public record SaPayload(List<SaProposal> proposals) implements IkePayload {
  public SaPayload {
    proposals = List.copyOf(proposals);
  }

  @Override
  public PayloadType type() {
    return PayloadType.SA;
  }

  @Override
  public String summary() {
    return "SA";
  }
}
