package dev.ferry.vpn.core.proposal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ProposalRoundTripTest {

  private static List<Transform> usable(TransformType type, boolean aead) {
    return ProposalKeywords.canonicalKeywords().keySet().stream()
        .filter(t -> t.type() == type)
        .filter(t -> t.algorithm().support() != Support.REFUSED)
        .filter(t -> type != TransformType.ENCR || t.isAead() == aead)
        .sorted(java.util.Comparator.comparing(Transform::toString))
        .toList();
  }

  private static Arbitrary<List<Transform>> some(TransformType type, boolean aead, int min, int max) {
    return Arbitraries.of(usable(type, aead)).list().uniqueElements().ofMinSize(min).ofMaxSize(max);
  }

  private static Arbitrary<Proposal> proposals(Protocol protocol) {
    return Arbitraries.of(true, false).flatMap(aead -> {
      Arbitrary<List<Transform>> enc = some(TransformType.ENCR, aead, 1, 3);
      Arbitrary<List<Transform>> integ =
          aead ? Arbitraries.just(List.of()) : some(TransformType.INTEG, false, 1, 3);
      Arbitrary<List<Transform>> prf = protocol == Protocol.IKE
          ? some(TransformType.PRF, false, aead ? 1 : 0, 2)
          : Arbitraries.just(List.of());
      Arbitrary<List<Transform>> ke = protocol == Protocol.IKE
          ? some(TransformType.KE, false, 1, 3)
              .filter(l -> !l.contains(Transform.of(KeyExchangeMethod.NONE)))
          : some(TransformType.KE, false, 0, 3);
      Arbitrary<List<Transform>> esn = protocol == Protocol.ESP
          ? some(TransformType.ESN, false, 0, 2)
          : Arbitraries.just(List.of());
      return Combinators.combine(enc, integ, prf, ke, esn)
          .as((e, i, p, k, s) -> new Proposal(protocol, e, i, p, k, s));
    });
  }

  @Provide
  Arbitrary<ProposalList> proposalLists() {
    return Arbitraries.of(Protocol.values()).flatMap(protocol -> Combinators.combine(
            proposals(protocol).list().ofMinSize(1).ofMaxSize(4), Arbitraries.of(true, false))
        .as(ProposalList::new));
  }

  @Property
  void parseOfFormatIsIdentity(@ForAll("proposalLists") ProposalList list) {
    assertEquals(list, ProposalList.parse(list.toString(), list.protocol()));
  }

  /** Any spelling (aliases, upper case, spaces, shuffled types) formats to a fixed point. */
  @Property
  void formatOfParseIsCanonical(@ForAll("proposalLists") ProposalList list, @ForAll long seed) {
    Map<Transform, List<String>> aliases = new java.util.HashMap<>();
    for (String k : List.of("aes", "sha", "sha2_256", "sha2_384", "sha2_512", "curve25519",
        "curve448", "aes128gcm128", "aes256gcm96", "AES192", " sha1 ")) {
      aliases.computeIfAbsent(ProposalKeywords.lookup(k.strip()).orElseThrow(), t -> new ArrayList<>())
          .add(k);
    }
    java.util.Random random = new java.util.Random(seed);
    String respelled = list.proposals().stream().map(p -> {
      // types may come in any order, but within a type the order is the preference
      List<List<Transform>> groups = new ArrayList<>(
          List.of(p.encryption(), p.integrity(), p.prf(), p.keyExchange(), p.esn()));
      java.util.Collections.shuffle(groups, random);
      List<String> words = new ArrayList<>();
      for (List<Transform> group : groups) {
        for (Transform t : group) {
          List<String> options = aliases.getOrDefault(t, List.of());
          words.add(!options.isEmpty() && random.nextBoolean()
              ? options.get(random.nextInt(options.size())) : t.toString());
        }
      }
      return String.join("-", words);
    }).collect(Collectors.joining(" , ")) + (list.strict() ? "! " : "");
    ProposalList reparsed = ProposalList.parse(respelled, list.protocol());
    assertEquals(list.toString(), reparsed.toString(), respelled);
  }
}
