package dev.ferry.vpn.core.proposal;

/** The security protocol a proposal is for, with its RFC 7296 section 3.3.1 Protocol ID. */
public enum Protocol {
  /** The IKE SA itself. */
  IKE(1),
  /** A Child SA carrying ESP (RFC 4303). */
  ESP(3);

  private final int protocolId;

  Protocol(int protocolId) {
    this.protocolId = protocolId;
  }

  /** The Protocol ID octet of a Proposal substructure (RFC 7296 section 3.3.1). */
  public int protocolId() {
    return protocolId;
  }
}
