package dev.ferry.vpn.ike.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.net.TrafficSelector;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.Protocol;
import dev.ferry.vpn.ike.crypto.SkProtector;
import dev.ferry.vpn.ike.message.DecodeResult.Reason;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The RFC 7296 framing rules the decoder enforces, one malformed message each. */
class IkeMessageDecoderTest {
  private static final SkProtector GCM = TestSkProtectors.gcmForTests();

  private static IkeMessage initRequest(List<IkePayload> payloads) {
    return new IkeMessage(0x1122334455667788L, 0, ExchangeType.IKE_SA_INIT, true, false, 0, false,
        payloads);
  }

  private static IkeMessage authRequest(List<IkePayload> payloads) {
    return new IkeMessage(1, 2, ExchangeType.IKE_AUTH, true, false, 1, true, payloads);
  }

  private static DecodeResult decode(byte[] wire) {
    return IkeMessageDecoder.decode(wire, 0, wire.length, GCM);
  }

  private static DecodeResult.UnprotectedError dropped(byte[] wire, Reason reason) {
    DecodeResult.UnprotectedError e =
        assertInstanceOf(DecodeResult.UnprotectedError.class, decode(wire));
    assertEquals(reason, e.reason(), e.detail());
    return e;
  }

  /** A clear message whose only payload has the given generic header fields and body. */
  private static byte[] withRawPayload(int type, int flags, int length, byte[] body) {
    byte[] wire = new byte[IkeHeader.LENGTH + 4 + body.length];
    new IkeHeader(1, 0, PayloadType.valueOf(type), 2, 0, ExchangeType.IKE_SA_INIT, 8, 0,
        wire.length).writeTo(wire, 0);
    wire[IkeHeader.LENGTH + 1] = (byte) flags;
    wire[IkeHeader.LENGTH + 2] = (byte) (length >>> 8);
    wire[IkeHeader.LENGTH + 3] = (byte) length;
    System.arraycopy(body, 0, wire, IkeHeader.LENGTH + 4, body.length);
    return wire;
  }

  @Test
  void decode_rejectsDatagramShorterThanHeader() {
    DecodeResult.UnprotectedError e = dropped(new byte[27], Reason.TRUNCATED_HEADER);
    assertNull(e.header());
  }

  @Test
  void decode_rejectsOtherMajorVersion() {
    byte[] wire = initRequest(List.of()).encode();
    wire[17] = 0x10;
    assertEquals(1, dropped(wire, Reason.UNSUPPORTED_MAJOR_VERSION).header().majorVersion());
  }

  @Test
  void decode_ignoresMinorVersionAndVersionFlag() {
    IkeMessage m = initRequest(List.of(new NoncePayload(Bytes.of(new byte[16]))));
    byte[] wire = m.encode();
    wire[17] = 0x27;
    wire[19] |= IkeHeader.FLAG_VERSION;
    assertEquals(m, assertInstanceOf(DecodeResult.Ok.class, decode(wire)).message());
  }

  @Test
  void decode_rejectsHeaderLengthDifferentFromDatagram() {
    byte[] wire = initRequest(List.of()).encode();
    dropped(Arrays.copyOf(wire, wire.length + 1), Reason.LENGTH_MISMATCH);
  }

  @Test
  void decode_rejectsPayloadShorterThanGenericHeader() {
    dropped(withRawPayload(40, 0, 3, new byte[0]), Reason.MALFORMED);
  }

  @Test
  void decode_rejectsPayloadRunningPastTheMessage() {
    dropped(withRawPayload(40, 0, 9, new byte[4]), Reason.MALFORMED);
  }

  @Test
  void decode_rejectsOctetsAfterTheLastPayload() {
    dropped(withRawPayload(40, 0, 6, new byte[4]), Reason.MALFORMED);
  }

  @Test
  void decode_keepsUnknownNonCriticalPayload() {
    DecodeResult.Ok ok = assertInstanceOf(DecodeResult.Ok.class,
        decode(withRawPayload(200, 0, 7, new byte[] {1, 2, 3})));
    assertEquals(List.of(new UnknownPayload(PayloadType.valueOf(200), false, Bytes.octets(1, 2, 3))),
        ok.message().payloads());
  }

  @Test
  void decode_ignoresCriticalBitOfKnownPayloads() {
    DecodeResult.Ok ok = assertInstanceOf(DecodeResult.Ok.class,
        decode(withRawPayload(43, 0x80, 6, new byte[] {9, 9})));
    assertEquals(List.of(new VendorIdPayload(Bytes.octets(9, 9))), ok.message().payloads());
  }

  @Test
  void decode_reportsUnknownCriticalClearPayloadWithItsType() {
    DecodeResult.UnprotectedError e = dropped(withRawPayload(200, 0x80, 4, new byte[0]),
        Reason.UNSUPPORTED_CRITICAL_PAYLOAD);
    assertEquals(Bytes.octets(200), e.notifyData());
  }

  @Test
  void decode_answersUnknownCriticalPayloadInsideSk() {
    IkeMessage m = authRequest(List.of(new UnknownPayload(PayloadType.valueOf(99), true, Bytes.EMPTY)));
    DecodeResult.ProtectedError e =
        assertInstanceOf(DecodeResult.ProtectedError.class, decode(m.encode(GCM)));
    assertEquals(NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD, e.error());
    assertEquals(Bytes.octets(99), e.notifyData());
  }

  @Test
  void decode_answersMalformedInnerPayloadWithInvalidSyntax() {
    // A KE payload body must hold at least the method and RESERVED fields (RFC 7296 section 3.4).
    IkeMessage m = authRequest(List.of(new UnknownPayload(PayloadType.valueOf(200), false, Bytes.EMPTY)));
    byte[] wire = m.encode(GCM);
    byte[] inner = {0, 0, 0, 6, 0, 19};
    byte[] aad = Arrays.copyOf(wire, 32);
    int bodyLength = GCM.bodyLength(inner.length);
    byte[] rebuilt = Arrays.copyOf(aad, 32 + bodyLength);
    WireWriter.putU32(rebuilt, 24, rebuilt.length);
    rebuilt[28] = 34;
    rebuilt[30] = (byte) ((4 + bodyLength) >>> 8);
    rebuilt[31] = (byte) (4 + bodyLength);
    byte[] body = GCM.seal(Arrays.copyOf(rebuilt, 32), inner);
    System.arraycopy(body, 0, rebuilt, 32, body.length);
    DecodeResult.ProtectedError e = assertInstanceOf(DecodeResult.ProtectedError.class, decode(rebuilt));
    assertEquals(NotifyType.INVALID_SYNTAX, e.error());
    assertTrue(e.detail().contains("KE"), e.detail());
  }

  @Test
  void decode_rejectsSkThatIsNotLast() {
    byte[] sk = authRequest(List.of()).encode(GCM);
    byte[] wire = Arrays.copyOf(sk, sk.length + 4);
    WireWriter.putU32(wire, 24, wire.length);
    dropped(wire, Reason.MALFORMED);
  }

  @Test
  void decode_rejectsClearPayloadsBeforeSk() {
    byte[] sk = authRequest(List.of()).encode(GCM);
    byte[] wire = new byte[sk.length + 4];
    System.arraycopy(sk, 0, wire, 0, 28);
    wire[16] = 43;
    wire[28] = 46;
    wire[31] = 4;
    System.arraycopy(sk, 28, wire, 32, sk.length - 28);
    WireWriter.putU32(wire, 24, wire.length);
    dropped(wire, Reason.MALFORMED);
  }

  @Test
  void decode_withoutKeys_dropsEncryptedMessage() {
    byte[] wire = authRequest(List.of()).encode(GCM);
    assertInstanceOf(DecodeResult.UnprotectedError.class,
        IkeMessageDecoder.decode(wire, 0, wire.length, null));
  }

  @Test
  void decode_turnsAThrowingProtectorIntoADropReason() {
    byte[] wire = authRequest(List.of()).encode(GCM);
    SkProtector broken = new SkProtector() {
      @Override
      public int bodyLength(int plaintextLength) {
        return GCM.bodyLength(plaintextLength);
      }

      @Override
      public byte[] seal(byte[] associatedData, byte[] plaintext) {
        return GCM.seal(associatedData, plaintext);
      }

      @Override
      public byte[] open(byte[] associatedData, byte[] body, int offset, int length) {
        throw new ArrayIndexOutOfBoundsException("bug");
      }
    };
    DecodeResult.UnprotectedError e = assertInstanceOf(DecodeResult.UnprotectedError.class,
        IkeMessageDecoder.decode(wire, 0, wire.length, broken));
    assertEquals(Reason.PROTECTOR_FAILED, e.reason());
  }

  @Test
  void decode_rejectsFragmentNumberAboveTotal() {
    byte[] f = authRequest(List.of(new NoncePayload(Bytes.of(new byte[40]))))
        .encodeFragments(GCM, 1000).get(0);
    f[33] = 2;
    dropped(f, Reason.BAD_FRAGMENT);
  }

  @Test
  void decode_rejectsTsWithOpaquePorts() {
    byte[] body = HexFormat.of().parseHex("01000000" + "07000010ffff0000" + "0a0000000a0000ff");
    DecodeResult.UnprotectedError e = dropped(withRawPayload(44, 0, 4 + body.length, body),
        Reason.MALFORMED);
    assertTrue(e.detail().contains("OPAQUE"), e.detail());
  }

  @Test
  void decode_rejectsSaWithWrongTransformCount() {
    // One proposal claiming two transforms but holding one.
    byte[] body = HexFormat.of().parseHex("00000010" + "01010002" + "00000008" + "01000014");
    dropped(withRawPayload(33, 0, 4 + body.length, body), Reason.MALFORMED);
  }

  @Test
  void encode_writesKnownPayloadsWithCriticalBitClear() {
    byte[] wire = initRequest(List.of(NotifyPayload.of(NotifyType.COOKIE, Bytes.octets(1)))).encode();
    assertEquals(0, wire[29]);
    assertEquals(PayloadType.NOTIFY.value(), wire[16]);
  }

  @Test
  void encode_refusesMismatchedProtection() {
    assertThrows(IllegalStateException.class, () -> authRequest(List.of()).encode());
    assertThrows(IllegalStateException.class, () -> initRequest(List.of()).encode(GCM));
  }

  @Test
  void peek_readsDispatchFieldsWithoutFullDecode() {
    byte[] wire = authRequest(List.of()).encode(GCM);
    byte[] framed = new byte[wire.length + 10];
    System.arraycopy(wire, 0, framed, 5, wire.length);
    IkeHeader h = IkeHeader.peek(framed, 5, wire.length);
    assertEquals(1, h.initiatorSpi());
    assertEquals(2, h.responderSpi());
    assertTrue(h.isInitiator());
    assertFalse(h.isResponse());
    assertEquals(wire.length, h.length());
    assertNull(IkeHeader.peek(framed, 5, 27));
  }

  @Test
  void summary_followsStrongSwanStyle() {
    IkeMessage m = new IkeMessage(1, 0, ExchangeType.IKE_SA_INIT, true, false, 0, false, List.of(
        new SaPayload(List.of()), new KePayload(19, Bytes.octets(1)), new NoncePayload(Bytes.octets(2)),
        NotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP),
        NotifyPayload.of(NotifyType.NAT_DETECTION_DESTINATION_IP),
        NotifyPayload.of(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED),
        NotifyPayload.of(NotifyType.valueOf(40000))));
    assertEquals(
        "IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(40000) ]",
        m.summary());
  }

  @Test
  void saProposal_convertsToAndFromCoreProposal() {
    Proposal p = Proposal.parse("aes256-sha256-modp2048", Protocol.IKE);
    SaProposal wire = SaProposal.of(1, p, Bytes.EMPTY);
    assertEquals(4, wire.transforms().size());
    assertEquals(256, wire.transformsOfType(1).get(0).keyLength());
    Proposal back = wire.toProposal().orElseThrow();
    assertEquals(p.wireTransforms(), back.wireTransforms());
  }

  @Test
  void saProposal_withUnknownTransformIdIsNotACoreProposal() {
    SaProposal wire = new SaProposal(1, SaProposal.PROTOCOL_ESP, Bytes.octets(1, 2, 3, 4),
        List.of(SaTransform.of(1, 1000)));
    assertTrue(wire.toProposal().isEmpty());
  }

  @Test
  void registries_roundTripUnknownValuesAndClassifyNotifies() {
    assertTrue(NotifyType.INVALID_SYNTAX.isError());
    assertFalse(NotifyType.INITIAL_CONTACT.isError());
    assertTrue(NotifyType.valueOf(16383).isError());
    assertEquals("NotifyType(50000)", NotifyType.valueOf(50000).name());
    assertFalse(NotifyType.valueOf(50000).isKnown());
    assertEquals(ExchangeType.IKE_INTERMEDIATE, ExchangeType.valueOf(43));
    assertEquals(PayloadType.SKF, PayloadType.valueOf(53));
    assertThrows(IllegalArgumentException.class, () -> PayloadType.valueOf(256));
    assertThrows(IllegalArgumentException.class,
        () -> new UnknownPayload(PayloadType.SA, false, Bytes.EMPTY));
  }

  @Test
  void tsPayload_roundTripsIpv4AndIpv6Ranges() {
    TsPayload ts = new TsPayload(PayloadType.TSI, List.of(
        TrafficSelector.of(IpPrefix.parse("10.1.0.0/16")),
        TrafficSelector.of(IpPrefix.parse("fd00::/64"))));
    byte[] wire = initRequest(List.of(ts)).encode();
    assertEquals(28 + 4 + 4 + 16 + 40, wire.length);
    assertEquals(List.of(ts), assertInstanceOf(DecodeResult.Ok.class, decode(wire)).message().payloads());
  }
}
