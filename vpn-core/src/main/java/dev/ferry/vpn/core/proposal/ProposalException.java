package dev.ferry.vpn.core.proposal;

/**
 * A proposal string that cannot be used. Names the offending token (an algorithm keyword, or a whole
 * proposal when a rule across its transforms is broken), its 0-based position in the input, and the
 * reason. Proposal strings hold no secrets, so the message quotes them.
 */
public final class ProposalException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String input;
  private final String token;
  private final int position;
  private final String reason;

  public ProposalException(String input, String token, int position, String reason) {
    super("'" + token + "' at position " + position + " of \"" + input + "\": " + reason);
    this.input = input;
    this.token = token;
    this.position = position;
    this.reason = reason;
  }

  /** The whole text that was parsed. */
  public String input() {
    return input;
  }

  /** The offending keyword or proposal, as written. */
  public String token() {
    return token;
  }

  /** 0-based index of {@link #token()} in {@link #input()}. */
  public int position() {
    return position;
  }

  /** Why the token is refused, without the input. */
  public String reason() {
    return reason;
  }
}
