package dev.ferry.vpn.core.proposal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProposalListTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "IKE | aes128gcm16-prfsha256-ecp256 | aes128gcm16-prfsha256-ecp256",
    "IKE | aes256-sha384-modp3072 | aes256-sha384-modp3072",
    "ESP | aes128-sha1,3des-sha1 | aes128-sha1,3des-sha1",
    "IKE | chacha20poly1305-prfsha256-x25519 | chacha20poly1305-prfsha256-x25519",
    "IKE | chacha20poly1305-prfsha256-curve25519 | chacha20poly1305-prfsha256-x25519",
    "ESP | aes256gcm128-modp2048! | aes256gcm16-modp2048!",
    "ESP | aes-sha | aes128-sha1",
    "ESP | ' aes128 - sha256 , aes256gcm96 ' | aes128-sha256,aes256gcm12",
    "IKE | modp2048-sha256-aes256 | aes256-sha256-modp2048",
    "IKE | AES128-SHA2_256-ECP384 | aes128-sha256-ecp384",
    "ESP | aes128gcm16-esn-noesn | aes128gcm16-esn-noesn",
    "ESP | aes128-aes256-sha256-sha512-ecp256-modpnone | aes128-aes256-sha256-sha512-ecp256-modpnone",
    "IKE | aes128-sha1-modp2048,3des-sha1-modp1536 | aes128-sha1-modp2048,3des-sha1-modp1536",
    "IKE | aes128-aesxcbc-modp2048 | aes128-aesxcbc-modp2048",
    "IKE | aes256-aescmac-prfaescmac-x448 | aes256-aescmac-prfaescmac-x448",
    "ESP | aes128gcm8-aes256gcm64 | aes128gcm8-aes256gcm8",
  })
  void parsesAndFormatsCanonically(Protocol protocol, String input, String canonical) {
    ProposalList list = ProposalList.parse(input, protocol);
    assertEquals(canonical, list.toString());
    assertEquals(list, ProposalList.parse(list.toString(), protocol));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    // protocol | input | offending token | position | reason fragment
    "IKE | aes128-foo-modp2048 | foo | 7 | unknown algorithm",
    "ESP | aes128-md5 | md5 | 7 | MUST NOT",
    "ESP | des-sha1 | des | 0 | MUST NOT",
    "IKE | aes128-sha1-modp768 | modp768 | 12 | group 1",
    "ESP | aes128ccm16 | aes128ccm16 | 0 | AES-CCM",
    "IKE | aes128-sha256-ecp256bp | ecp256bp | 14 | Brainpool",
    "ESP | serpent256-sha256 | serpent256 | 0 | outside the IKEv2 registry",
    "ESP | null-sha256 | null | 0 | confidentiality",
    "ESP | aes128-sha1,,3des-sha1 | '' | 12 | empty proposal",
    "ESP | aes128-sha1, | '' | 12 | empty proposal",
    "ESP | aes128--sha1 | '' | 7 | empty algorithm name",
    "ESP | aes128-sha1!,3des-sha1 | ! | 11 | may only end",
    "IKE | aes128gcm16-ecp256 | aes128gcm16-ecp256 | 0 | explicit PRF",
    "IKE | aes128-sha256 | aes128-sha256 | 0 | key exchange method",
    "ESP | aes128 | aes128 | 0 | needs an integrity",
    "IKE | aes128-prfsha256-ecp256 | aes128-prfsha256-ecp256 | 0 | needs an integrity",
    "ESP | aes128gcm16-sha256 | aes128gcm16-sha256 | 0 | RFC 5282",
    "ESP | aes128gcm16-aes128-sha256 | aes128gcm16-aes128-sha256 | 0 | cannot share",
    "ESP | aes128-sha256-prfsha256 | aes128-sha256-prfsha256 | 0 | only for the IKE SA",
    "IKE | aes128-sha256-modp2048-esn | aes128-sha256-modp2048-esn | 0 | ESN is an ESP",
    "IKE | aes128-sha256-modpnone | aes128-sha256-modpnone | 0 | modpnone",
    "ESP | aes128-sha256-sha2_256 | sha2_256 | 14 | listed twice",
    "IKE | aes256-sha384-modp3072,aes128-sha1-bogus | bogus | 35 | unknown",
    "ESP | sha256-modp2048 | sha256-modp2048 | 0 | encryption algorithm is mandatory",
    "ESP | '' | '' | 0 | empty proposal",
  })
  void refusesWithTokenAndPosition(
      Protocol protocol, String input, String token, int position, String reason) {
    ProposalException e =
        assertThrows(ProposalException.class, () -> ProposalList.parse(input, protocol));
    assertEquals(token, e.token(), e.getMessage());
    assertEquals(position, e.position(), e.getMessage());
    assertTrue(e.reason().contains(reason), e.getMessage());
    assertTrue(e.getMessage().contains("'" + token + "'"), e.getMessage());
  }

  @Test
  void chartDefaultsAreTheDocumentedStrings() {
    assertEquals("aes128-sha1,3des-sha1", ProposalList.chartDefault(Protocol.ESP).toString());
    assertEquals("aes128-sha1-modp2048,3des-sha1-modp1536",
        ProposalList.chartDefault(Protocol.IKE).toString());
  }

  @Test
  void chartDefaultsNameLegacyAlgorithms() {
    assertEquals(
        List.of(Transform.of(EncryptionAlgorithm.TRIPLE_DES), Transform.of(KeyExchangeMethod.MODP_1536)),
        ProposalList.chartDefault(Protocol.IKE).transformsWith(Support.LEGACY));
  }

  @Test
  void ikeWithoutPrfImpliesTheIntegrityHash() {
    Proposal p = Proposal.parse("aes256-sha384-sha1-modp3072", Protocol.IKE);
    assertEquals(List.of(Transform.of(PrfAlgorithm.HMAC_SHA2_384), Transform.of(PrfAlgorithm.HMAC_SHA1)),
        p.effectivePrfs());
    assertTrue(p.prf().isEmpty(), "implied PRFs are not written back");
    assertEquals("aes256-sha384-sha1-modp3072", p.toString());
  }

  @Test
  void explicitPrfWinsOverImplied() {
    Proposal p = Proposal.parse("aes128-sha1-prfsha256-ecp256", Protocol.IKE);
    assertEquals(List.of(Transform.of(PrfAlgorithm.HMAC_SHA2_256)), p.effectivePrfs());
  }

  @Test
  void espKeGroupMeansPfsAndEsnDefaultsToNone() {
    Proposal pfs = Proposal.parse("aes256gcm16-ecp384", Protocol.ESP);
    assertTrue(pfs.hasPfs());
    assertTrue(pfs.isAead());
    assertEquals(List.of(Transform.of(EsnMode.NO_ESN)), pfs.effectiveEsn());
    assertFalse(Proposal.parse("aes256gcm16-modpnone", Protocol.ESP).hasPfs());
    assertFalse(Proposal.parse("aes256-sha256", Protocol.ESP).hasPfs());
  }

  @Test
  void wireTransformsCarryIanaIdsAndKeyLengths() {
    Proposal p = Proposal.parse("aes256gcm16-prfsha384-ecp384", Protocol.IKE);
    List<Transform> wire = p.wireTransforms();
    assertEquals(3, wire.size());
    assertEquals(20, wire.get(0).transformId()); // ENCR_AES_GCM_16
    assertEquals(256, wire.get(0).keyLength());
    assertEquals(TransformType.PRF, wire.get(1).type());
    assertEquals(6, wire.get(1).transformId()); // PRF_HMAC_SHA2_384
    assertEquals(20, wire.get(2).transformId()); // group 20, ecp384
    assertEquals(4, wire.get(2).type().typeNumber());
  }

  @Test
  void transformValidatesKeyLength() {
    assertThrows(IllegalArgumentException.class, () -> Transform.of(EncryptionAlgorithm.AES_CBC, 512));
    assertThrows(IllegalArgumentException.class, () -> Transform.of(EncryptionAlgorithm.AES_CBC, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new Transform(EncryptionAlgorithm.CHACHA20_POLY1305, 256));
  }

  @Test
  void constructorEnforcesTheSameRulesAsTheParser() {
    Transform aes = Transform.of(EncryptionAlgorithm.AES_CBC, 128);
    assertThrows(IllegalArgumentException.class,
        () -> new Proposal(Protocol.ESP, List.of(aes), List.of(), List.of(), List.of(), List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> new Proposal(Protocol.ESP, List.of(Transform.of(IntegrityAlgorithm.HMAC_SHA1_96)),
            List.of(), List.of(), List.of(), List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> new ProposalList(List.of(), false));
  }

  @Test
  void everyRegistryTransformIdIsUniqueWithinItsType() {
    for (TransformType type : TransformType.values()) {
      List<Integer> ids = java.util.stream.Stream.of(
              EncryptionAlgorithm.values(), PrfAlgorithm.values(), IntegrityAlgorithm.values(),
              KeyExchangeMethod.values(), EsnMode.values())
          .flatMap(java.util.Arrays::stream)
          .filter(a -> a.type() == type)
          .map(Algorithm::transformId)
          .toList();
      assertEquals(ids.size(), ids.stream().distinct().count(), type.toString());
    }
    assertEquals(KeyExchangeMethod.CURVE_25519, KeyExchangeMethod.fromTransformId(31).orElseThrow());
    assertTrue(EncryptionAlgorithm.fromTransformId(99).isEmpty());
  }

  @Test
  void everyRefusedOrLegacyAlgorithmSaysWhy() {
    java.util.stream.Stream.of(EncryptionAlgorithm.values(), PrfAlgorithm.values(),
            IntegrityAlgorithm.values(), KeyExchangeMethod.values())
        .flatMap(java.util.Arrays::stream)
        .filter(a -> a.support() != Support.SUPPORTED)
        .forEach(a -> assertFalse(a.supportNote().isBlank(), a.name()));
  }
}
