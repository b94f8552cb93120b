package dev.ferry.vpn.core.proposal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * An ordered list of proposals for one protocol, as in strongSwan's {@code ike=} and {@code esp=}:
 * proposals separated by commas, and a trailing {@code !} that makes the list strict (only these
 * proposals are accepted from the peer; without it strongSwan 5.x also accepts its defaults).
 *
 * <p>{@link #toString()} gives the canonical text, and {@code parse(list.toString(), p)} equals
 * {@code list}.
 */
public record ProposalList(List<Proposal> proposals, boolean strict) {

  /** The chart's ESP default when {@code ipsec.esp} is blank. */
  public static final String CHART_DEFAULT_ESP = "aes128-sha1,3des-sha1";

  /** The chart's IKE default when {@code ipsec.ike} is blank. */
  public static final String CHART_DEFAULT_IKE = "aes128-sha1-modp2048,3des-sha1-modp1536";

  public ProposalList {
    proposals = List.copyOf(proposals);
    if (proposals.isEmpty()) {
      throw new IllegalArgumentException("a proposal list needs at least one proposal");
    }
    Protocol protocol = proposals.get(0).protocol();
    for (Proposal p : proposals) {
      if (p.protocol() != protocol) {
        throw new IllegalArgumentException(
            "proposal " + p + " is for " + p.protocol() + ", the list is for " + protocol);
      }
    }
  }

  /**
   * Parses strongSwan proposal syntax, e.g. {@code aes128-sha1-modp2048,3des-sha1-modp1536!}.
   * Spaces around keywords are ignored. Refused algorithms ({@link Support#REFUSED}), unknown
   * keywords and broken proposal rules are reported as a {@link ProposalException} naming the token
   * and its position.
   */
  public static ProposalList parse(String text, Protocol protocol) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(protocol, "protocol");
    return new ProposalParser(text, protocol).parse();
  }

  /** The strongSwan chart's default list for the protocol (used when the key is blank). */
  public static ProposalList chartDefault(Protocol protocol) {
    return parse(protocol == Protocol.IKE ? CHART_DEFAULT_IKE : CHART_DEFAULT_ESP, protocol);
  }

  public Protocol protocol() {
    return proposals.get(0).protocol();
  }

  /** The distinct transforms across all proposals with the given support level. */
  public List<Transform> transformsWith(Support support) {
    List<Transform> out = new ArrayList<>();
    for (Proposal p : proposals) {
      for (Transform t : p.transformsWith(support)) {
        if (!out.contains(t)) {
          out.add(t);
        }
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return proposals.stream().map(Proposal::toString).collect(Collectors.joining(","))
        + (strict ? "!" : "");
  }
}
