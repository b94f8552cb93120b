package dev.ferry.vpn.core.proposal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns strongSwan proposal text into a {@link ProposalList}, naming the first bad token. */
final class ProposalParser {
  private final String input;
  private final Protocol protocol;

  ProposalParser(String input, Protocol protocol) {
    this.input = input;
    this.protocol = protocol;
  }

  ProposalList parse() {
    int end = input.length();
    while (end > 0 && Character.isWhitespace(input.charAt(end - 1))) {
      end--;
    }
    boolean strict = end > 0 && input.charAt(end - 1) == '!';
    if (strict) {
      end--;
    }
    int bang = input.indexOf('!');
    if (bang >= 0 && bang < end) {
      throw new ProposalException(input, "!", bang, "'!' (strict) may only end the whole list");
    }
    List<Proposal> proposals = new ArrayList<>();
    int start = 0;
    while (true) {
      int comma = input.indexOf(',', start);
      int stop = comma < 0 || comma > end ? end : comma;
      proposals.add(parseProposal(start, stop));
      if (stop == end) {
        break;
      }
      start = stop + 1;
    }
    return new ProposalList(proposals, strict);
  }

  private Proposal parseProposal(int start, int stop) {
    int first = skipSpaces(start, stop);
    if (first == stop) {
      String shown = input.substring(start, stop);
      throw new ProposalException(input, shown, start,
          "empty proposal: proposals are separated by single commas");
    }
    Map<TransformType, List<Transform>> byType = new EnumMap<>(TransformType.class);
    for (TransformType t : TransformType.values()) {
      byType.put(t, new ArrayList<>());
    }
    int tokenStart = start;
    while (true) {
      int dash = input.indexOf('-', tokenStart);
      int tokenStop = dash < 0 || dash > stop ? stop : dash;
      Transform transform = transformAt(tokenStart, tokenStop);
      List<Transform> list = byType.get(transform.type());
      if (list.contains(transform)) {
        int at = skipSpaces(tokenStart, tokenStop);
        throw new ProposalException(
            input, input.substring(at, tokenStop).strip(), at, transform + " is listed twice");
      }
      list.add(transform);
      if (tokenStop == stop) {
        break;
      }
      tokenStart = tokenStop + 1;
    }
    String problem = Proposal.problem(protocol, byType.get(TransformType.ENCR),
        byType.get(TransformType.INTEG), byType.get(TransformType.PRF),
        byType.get(TransformType.KE), byType.get(TransformType.ESN));
    if (problem != null) {
      throw new ProposalException(input, input.substring(first, stop).strip(), first, problem);
    }
    return new Proposal(protocol, byType.get(TransformType.ENCR), byType.get(TransformType.INTEG),
        byType.get(TransformType.PRF), byType.get(TransformType.KE), byType.get(TransformType.ESN));
  }

  private Transform transformAt(int start, int stop) {
    int at = skipSpaces(start, stop);
    String keyword = input.substring(at, stop).strip();
    if (keyword.isEmpty()) {
      throw new ProposalException(input, "", at, "empty algorithm name between '-' separators");
    }
    Optional<Transform> found = ProposalKeywords.lookup(keyword);
    if (found.isEmpty()) {
      String reason = ProposalKeywords.foreignKeyword(keyword)
          .orElse("unknown algorithm keyword (strongSwan syntax, e.g. aes256gcm16, sha256, ecp256)");
      throw new ProposalException(input, keyword, at, reason);
    }
    Algorithm algorithm = found.get().algorithm();
    if (algorithm.support() == Support.REFUSED) {
      throw new ProposalException(
          input, keyword, at, algorithm + " is not supported: " + algorithm.supportNote());
    }
    return found.get();
  }

  private int skipSpaces(int from, int stop) {
    int i = from;
    while (i < stop && Character.isWhitespace(input.charAt(i))) {
      i++;
    }
    return i;
  }
}
