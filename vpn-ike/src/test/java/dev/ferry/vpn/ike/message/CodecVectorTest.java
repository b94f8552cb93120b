package dev.ferry.vpn.ike.message;

import static dev.ferry.vpn.ike.message.TestSkProtectors.fixedIv;
import static dev.ferry.vpn.ike.message.TestSkProtectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.net.IpRange;
import dev.ferry.vpn.core.net.TrafficSelector;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.Protocol;
import dev.ferry.vpn.ike.crypto.SkProtector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Byte-exact checks against captured IKE messages from /work/shared/vectors: the AOSP IKEv2
 * library's encrypted IKE_AUTH request (AES-CBC + HMAC-SHA1-96), its AES-GCM-16 message and SKF
 * fragment, its 3DES message, and the RFC 7634 Appendix A.2 ChaCha20-Poly1305 INFORMATIONAL.
 * Each is decoded with a JCE protector holding the published keys and, where the whole message is
 * given, re-encoded with the same IV to the same octets.
 */
class CodecVectorTest {

  /**
   * The shared directory: the {@code ferry.shared.dir} property when the build sets it, else the
   * nearest {@code shared} directory above the working directory (the worktree's symlink).
   */
  private static Path sharedDir() {
    String configured = System.getProperty("ferry.shared.dir");
    if (configured != null && Files.isDirectory(Path.of(configured))) {
      return Path.of(configured);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("shared/vectors"))) {
        return p.resolve("shared");
      }
    }
    throw new IllegalStateException("no shared/vectors directory above " + Path.of("").toAbsolutePath());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> vector(String file, String name) throws IOException {
    Path dir = sharedDir().resolve("vectors");
    Map<String, Object> root = new Yaml().load(Files.readString(dir.resolve(file)));
    for (Map<String, Object> v : (List<Map<String, Object>>) root.get("vectors")) {
      if (name.equals(v.get("name"))) {
        return v;
      }
    }
    throw new IllegalStateException(file + " has no vector " + name);
  }

  private static String s(Map<String, Object> v, String key) {
    return (String) v.get(key);
  }

  /** AES-GCM-16-256 keyed from a vector's 36-octet keymat (key || salt, RFC 5282 section 7.1). */
  private static SkProtector gcm256(Map<String, Object> v) {
    byte[] keymat = hex(s(v, "keymat"));
    return TestSkProtectors.aead("AES/GCM/NoPadding", java.util.Arrays.copyOf(keymat, 32),
        java.util.Arrays.copyOfRange(keymat, 32, 36), fixedIv(s(v, "iv")));
  }

  private static DecodeResult decode(byte[] message, SkProtector inbound) {
    return IkeMessageDecoder.decode(message, 0, message.length, inbound);
  }

  @Test
  void androidIkeAuthRequest_decodesAndReencodesByteForByte() throws IOException {
    Map<String, Object> v = vector("android-ike-keys-and-messages.json",
        "ike_auth_request_aes_cbc_hmac_sha1");
    byte[] wire = hex(s(v, "ike_message"));
    SkProtector protector = TestSkProtectors.cbcHmac("AES", hex(s(v, "encr_key")), "HmacSHA1",
        hex(s(v, "integ_key")), 12, fixedIv(s(v, "iv")));

    DecodeResult.Ok ok = assertInstanceOf(DecodeResult.Ok.class, decode(wire, protector));
    IkeMessage m = ok.message();
    assertEquals(0x5f54bf6d8b48e6e1L, m.initiatorSpi());
    assertEquals(0x909232b3d1edcb5cL, m.responderSpi());
    assertEquals(ExchangeType.IKE_AUTH, m.exchangeType());
    assertTrue(m.initiator() && !m.response() && m.encrypted());
    assertEquals(1, m.messageId());
    assertEquals("IKE_AUTH request 1 [ IDi IDr AUTH SA TSi TSr N(INIT_CONTACT) N(SET_WINSIZE) ]",
        m.summary());

    IdPayload idi = m.first(IdPayload.class).orElseThrow();
    assertEquals(IpAddress.parse("10.80.80.13"), idi.address().orElseThrow());
    assertEquals(Bytes.fromHex("010000000a50500d"), idi.authenticatedBody());
    assertEquals(AuthMethod.SHARED_KEY_MESSAGE_INTEGRITY_CODE,
        m.first(AuthPayload.class).orElseThrow().method());
    SaProposal proposal = m.first(SaPayload.class).orElseThrow().proposals().get(0);
    assertEquals(Bytes.fromHex("2ad4c0a2"), proposal.spi());
    assertEquals(Proposal.parse("aes128-sha1-noesn", Protocol.ESP),
        proposal.toProposal().orElseThrow());
    TrafficSelector any = TrafficSelector.of(IpRange.all(IpFamily.IPV4));
    assertEquals(List.of(any), m.payloads(TsPayload.class).get(0).selectors());
    assertEquals(Bytes.fromHex("00000001"),
        m.notify(NotifyType.SET_WINDOW_SIZE).orElseThrow().data());

    assertArrayEquals(wire, m.encode(protector));
  }

  @Test
  void androidAesGcmMessage_decodesAndReencodesByteForByte() throws IOException {
    Map<String, Object> v = vector("android-ike-keys-and-messages.json",
        "ike_message_aes_gcm16_256");
    SkProtector protector = gcm256(v);
    byte[] wire = hex(s(v, "ike_message"));

    DecodeResult.Ok ok = assertInstanceOf(DecodeResult.Ok.class, decode(wire, protector));
    AuthPayload auth = assertInstanceOf(AuthPayload.class, ok.message().payloads().get(0));
    assertEquals(Bytes.fromHex(s(v, "decrypted_body").substring(16)), auth.data());
    assertEquals("IKE_AUTH request 5 [ AUTH ]", ok.message().summary());
    assertArrayEquals(wire, ok.message().encode(protector));
  }

  @Test
  void androidAesGcmFragment_decodesToItsInnerOctets() throws IOException {
    Map<String, Object> v = vector("android-ike-keys-and-messages.json",
        "ike_fragment_aes_gcm16_256");
    SkProtector protector = gcm256(v);

    DecodeResult.Fragment f =
        assertInstanceOf(DecodeResult.Fragment.class, decode(hex(s(v, "ike_message")), protector));
    assertEquals(2, f.number());
    assertEquals(2, f.total());
    assertEquals(PayloadType.NONE, f.firstPayload());
    assertEquals(Bytes.fromHex(s(v, "decrypted_body")), f.innerOctets());
    assertEquals(ExchangeType.IKE_AUTH, f.header().exchangeType());
  }

  @Test
  void android3desMessage_carriesEapAndReencodesByteForByte() throws IOException {
    Map<String, Object> v = vector("android-ike-keys-and-messages.json",
        "ike_message_3des_hmac_sha1");
    SkProtector protector = TestSkProtectors.cbcHmac("DESede", hex(s(v, "encr_key")), "HmacSHA1",
        hex(s(v, "integ_key")), 12, fixedIv(s(v, "iv")));
    byte[] wire = hex(s(v, "ike_message"));

    DecodeResult.Ok ok = assertInstanceOf(DecodeResult.Ok.class, decode(wire, protector));
    EapPayload eap = assertInstanceOf(EapPayload.class, ok.message().payloads().get(0));
    assertEquals(Bytes.fromHex(s(v, "decrypted_body").substring(8)), eap.message());
    assertEquals("EapPayload[36 octets]", eap.toString());
    // The sender filled its CBC padding with its own octets; the test protector pads with zeros.
    // Only the last cipher block (which holds the padding) and the ICV can differ.
    byte[] again = ok.message().encode(protector);
    assertEquals(wire.length, again.length);
    int lastBlock = wire.length - 12 - 8;
    assertArrayEquals(java.util.Arrays.copyOf(wire, lastBlock),
        java.util.Arrays.copyOf(again, lastBlock));
  }

  @Test
  void rfc7634ChaChaInformational_decodesAndReencodesByteForByte() throws IOException {
    Map<String, Object> v = vector("rfc7634-chacha20poly1305-esp-ikev2.json",
        "RFC 7634 Appendix A.2 IKEv2 example");
    SkProtector protector = TestSkProtectors.aead("ChaCha20-Poly1305", hex(s(v, "key")),
        hex(s(v, "salt")), fixedIv(s(v, "iv")));
    byte[] wire = hex(s(v, "ike_message"));

    DecodeResult.Ok ok = assertInstanceOf(DecodeResult.Ok.class, decode(wire, protector));
    IkeMessage m = ok.message();
    assertEquals(ExchangeType.INFORMATIONAL, m.exchangeType());
    assertEquals(9, m.messageId());
    assertEquals(List.of(NotifyPayload.of(NotifyType.SET_WINDOW_SIZE, Bytes.fromHex("0000000a"))),
        m.payloads());
    assertArrayEquals(wire, m.encode(protector));
  }

  @Test
  void flippedIcvBit_isAnAuthenticationFailure() throws IOException {
    Map<String, Object> v = vector("android-ike-keys-and-messages.json",
        "ike_auth_request_aes_cbc_hmac_sha1");
    byte[] wire = hex(s(v, "ike_message"));
    wire[wire.length - 1] ^= 1;
    SkProtector protector = TestSkProtectors.cbcHmac("AES", hex(s(v, "encr_key")), "HmacSHA1",
        hex(s(v, "integ_key")), 12, fixedIv(s(v, "iv")));
    DecodeResult.UnprotectedError e =
        assertInstanceOf(DecodeResult.UnprotectedError.class, decode(wire, protector));
    assertEquals(DecodeResult.Reason.AUTHENTICATION_FAILED, e.reason());
  }
}
