package dev.ferry.vpn.ike.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.proposal.KeyExchangeMethod;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.ProposalList;
import dev.ferry.vpn.core.proposal.Protocol;
import dev.ferry.vpn.core.proposal.Transform;
import dev.ferry.vpn.core.proposal.TransformType;
import dev.ferry.vpn.ike.exchange.ProposalSelector.Selection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ProposalSelectorTest {
  private static final List<String> IKE_POOL = List.of(
      "aes128gcm16-prfsha256-ecp256", "aes256-sha256-modp2048",
      "chacha20poly1305-prfsha256-x25519", "aes128-sha1-modp2048",
      "aes256gcm16-prfsha384-ecp384-ecp256", "aes128-aes256-sha256-sha1-modp2048-ecp256",
      "aes256-sha384-sha256-ecp521-modp3072");
  private static final List<String> ESP_POOL = List.of(
      "aes128gcm16", "aes256-sha256", "chacha20poly1305", "aes128-sha1", "aes256gcm16-ecp256",
      "aes128gcm16-modp2048-modpnone", "aes256-sha256-esn-noesn", "aes128-aes256-sha1-sha256");

  private static ProposalList ike(String text) {
    return ProposalList.parse(text, Protocol.IKE);
  }

  private static ProposalList esp(String text) {
    return ProposalList.parse(text, Protocol.ESP);
  }

  private static Optional<Selection> select(ProposalList offered, ProposalList configured,
      KeyExchangeMethod preferred) {
    return ProposalSelector.select(ProposalOffer.numbered(offered.proposals()), configured,
        Optional.ofNullable(preferred));
  }

  @Test
  void responderTakesFirstAcceptableOfferInInitiatorOrder() {
    Selection s = select(ike("aes128-sha1-modp2048,aes256-sha256-modp2048"),
        ike("aes256-sha256-modp2048,aes128-sha1-modp2048"), null).orElseThrow();
    assertEquals(1, s.proposalNumber());
    assertEquals("aes128-sha1-prfsha1-modp2048", s.chosen().toString());
  }

  @Test
  void preferredKeGroupIsPickedWhenAcceptable_elseTheFirstAcceptable() {
    ProposalList offer = ike("aes128gcm16-prfsha256-ecp256-x25519-modp2048");
    ProposalList mine = ike("aes128gcm16-prfsha256-x25519-modp2048");
    assertEquals(Transform.of(KeyExchangeMethod.MODP_2048),
        select(offer, mine, KeyExchangeMethod.MODP_2048).orElseThrow().chosen()
            .first(TransformType.KE).orElseThrow());
    assertEquals(Transform.of(KeyExchangeMethod.CURVE_25519),
        select(offer, mine, KeyExchangeMethod.ECP_256).orElseThrow().chosen()
            .first(TransformType.KE).orElseThrow());
  }

  @Test
  void noProposalChosen_forKeyLengthMismatch_pfsMismatch_andUnknownTransformType() {
    assertTrue(select(ike("aes128-sha256-modp2048"), ike("aes256-sha256-modp2048"), null)
        .isEmpty());
    assertTrue(select(esp("aes128gcm16-ecp256"), esp("aes128gcm16"), null).isEmpty(),
        "PFS required by the initiator but not configured");
    assertTrue(select(esp("aes128gcm16"), esp("aes128gcm16-ecp256"), null).isEmpty(),
        "PFS required by the responder but not offered");
    assertTrue(select(esp("aes128gcm16"), esp("aes128gcm16-ecp256-modpnone"), null).isPresent(),
        "optional PFS accepts an offer without KE");
    ProposalOffer strange = new ProposalOffer(1, Protocol.ESP,
        esp("aes128gcm16").proposals().get(0).wireTransforms(), true);
    assertTrue(ProposalSelector.select(List.of(strange), esp("aes128gcm16"), Optional.empty())
        .isEmpty());
  }

  @Test
  void checkAnswer_rejectsUnofferedTransformsAndWrongNumbers() {
    List<ProposalOffer> sent = ProposalOffer.numbered(ike("aes128-sha256-modp2048").proposals());
    Proposal other = Proposal.parse("aes256-sha256-prfsha256-modp2048", Protocol.IKE);
    assertTrue(ProposalSelector.checkAnswer(sent,
        new ProposalOffer(1, Protocol.IKE, other.wireTransforms(), false)).isEmpty());
    Proposal same = Proposal.parse("aes128-sha256-prfsha256-modp2048", Protocol.IKE);
    assertTrue(ProposalSelector.checkAnswer(sent,
        new ProposalOffer(2, Protocol.IKE, same.wireTransforms(), false)).isEmpty());
    assertEquals(same, ProposalSelector.checkAnswer(sent,
        new ProposalOffer(1, Protocol.IKE, same.wireTransforms(), false)).orElseThrow());
  }

  @Test
  void withoutKeyExchange_stripsKeForIkeAuth() {
    assertEquals(List.of(Proposal.parse("aes128gcm16", Protocol.ESP)),
        ProposalSelector.withoutKeyExchange(
            esp("aes128gcm16-ecp256,aes128gcm16-modp2048").proposals()));
  }

  @Property
  void aConfigurationAcceptsItsOwnOffer(@ForAll("lists") ProposalList list) {
    Selection s = select(list, list, null).orElseThrow();
    assertEquals(1, s.proposalNumber());
  }

  @Property
  void aChoiceHasOneOfferedAndConfiguredTransformPerType_andTheInitiatorAcceptsIt(
      @ForAll("pairs") List<ProposalList> pair) {
    ProposalList offered = pair.get(0);
    ProposalList configured = pair.get(1);
    List<ProposalOffer> offers = ProposalOffer.numbered(offered.proposals());
    Optional<Selection> selection = ProposalSelector.select(offers, configured, Optional.empty());
    if (selection.isEmpty()) {
      return;
    }
    Proposal chosen = selection.get().chosen();
    ProposalOffer offer = offers.get(selection.get().proposalNumber() - 1);
    List<Transform> picked = new ArrayList<>();
    for (TransformType type : TransformType.values()) {
      Optional<Transform> t = chosen.first(type);
      assertTrue(chosenListSize(chosen, type) <= 1, "one transform of " + type);
      t.ifPresent(picked::add);
      t.ifPresent(x -> assertTrue(offer.ofType(type).contains(x), x + " was offered"));
    }
    assertTrue(configured.proposals().stream()
        .anyMatch(p -> p.wireTransforms().containsAll(picked)), "configured accepts " + chosen);
    ProposalOffer answer = new ProposalOffer(selection.get().proposalNumber(), chosen.protocol(),
        picked, false);
    assertEquals(Optional.of(chosen), ProposalSelector.checkAnswer(offers, answer));
  }

  private static int chosenListSize(Proposal p, TransformType type) {
    return switch (type) {
      case ENCR -> p.encryption().size();
      case INTEG -> p.integrity().size();
      case PRF -> p.prf().size();
      case KE -> p.keyExchange().size();
      case ESN -> p.esn().size();
    };
  }

  @Provide
  Arbitrary<ProposalList> lists() {
    return Arbitraries.of(Protocol.IKE, Protocol.ESP).flatMap(ProposalSelectorTest::listOf);
  }

  @Provide
  Arbitrary<List<ProposalList>> pairs() {
    return Arbitraries.of(Protocol.IKE, Protocol.ESP)
        .flatMap(p -> Combinators.combine(listOf(p), listOf(p)).as(List::of));
  }

  private static Arbitrary<ProposalList> listOf(Protocol protocol) {
    List<Proposal> pool = (protocol == Protocol.IKE ? IKE_POOL : ESP_POOL).stream()
        .map(text -> Proposal.parse(text, protocol))
        .toList();
    return Arbitraries.of(pool).list().ofMinSize(1).ofMaxSize(3).uniqueElements()
        .map(l -> new ProposalList(l, false));
  }
}
