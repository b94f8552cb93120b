package dev.ferry.vpn.ike.message;

import dev.ferry.vpn.ike.crypto.SkProtector;
import dev.ferry.vpn.ike.message.DecodeResult.Reason;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Decodes IKE datagrams into {@link DecodeResult}s. Never throws for any content of the given
 * range and never reads outside it; the range itself must lie within the array (a caller bug
 * otherwise). Stateless and thread-safe; the {@link SkProtector} is used by the calling thread
 * only.
 *
 * <p>Rules enforced, in order (RFC 7296 unless noted): at least the 28-octet header; major version
 * 2 (section 2.5); header Length equal to the datagram (section 3.1); every Payload Length at least
 * 4 and within the message, nothing after the last payload (section 3.2); SK or SKF last (section
 * 3.14, RFC 7383 section 2.5) with no clear payloads before it (as strongSwan, Ferry expects every
 * payload of a protected message inside SK); the ICV (section 3.14); then the inner payloads, where
 * an unknown payload with the critical bit set is UNSUPPORTED_CRITICAL_PAYLOAD and a non-critical
 * one is kept as {@link UnknownPayload} (section 2.5). Reserved fields are ignored.
 */
public final class IkeMessageDecoder {
  /** Marks a protector that broke its never-throw contract; compared by identity. */
  private static final byte[] PROTECTOR_FAILED = new byte[0];

  private IkeMessageDecoder() {}

  /**
   * {@link SkProtector#open} promises not to throw. If an implementation does anyway, a peer's
   * datagram must still not escape the dispatcher as an exception, so the failure becomes its own
   * drop reason, which makes the protector's bug visible in the counters.
   */
  private static byte[] open(SkProtector inbound, byte[] aad, byte[] buf, int offset, int length) {
    try {
      return inbound.open(aad, buf, offset, length);
    } catch (RuntimeException bug) {
      return PROTECTOR_FAILED;
    }
  }

  /**
   * Decodes {@code buf[offset, offset+length)}. {@code inbound} opens SK/SKF bodies; pass null
   * before keys exist (an encrypted message then yields {@link Reason#NO_KEYS}).
   */
  public static DecodeResult decode(byte[] buf, int offset, int length, SkProtector inbound) {
    Objects.checkFromIndexSize(offset, length, buf.length);
    IkeHeader header = IkeHeader.peek(buf, offset, length);
    if (header == null) {
      return drop(null, Reason.TRUNCATED_HEADER, length + " octets cannot hold an IKE header");
    }
    if (header.majorVersion() != IkeHeader.MAJOR_VERSION) {
      return drop(header, Reason.UNSUPPORTED_MAJOR_VERSION,
          "major version " + header.majorVersion());
    }
    if (header.length() != length) {
      return drop(header, Reason.LENGTH_MISMATCH,
          "header Length " + header.length() + " but the datagram has " + length + " octets");
    }
    int end = offset + length;
    PayloadChain chain;
    try {
      chain = PayloadChain.parse(
          buf, offset + IkeHeader.LENGTH, end, header.nextPayload(), true);
    } catch (PayloadSyntaxException e) {
      Reason reason = e.error().equals(NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD)
          ? Reason.UNSUPPORTED_CRITICAL_PAYLOAD : Reason.MALFORMED;
      return new DecodeResult.UnprotectedError(header, reason, e.notifyData(), e.getMessage());
    }
    if (chain.encryptedType == null) {
      return new DecodeResult.Ok(header, message(header, false, chain.payloads));
    }
    if (!chain.payloads.isEmpty()) {
      return drop(header, Reason.MALFORMED,
          chain.payloads.size() + " clear payloads precede " + chain.encryptedType);
    }
    if (inbound == null) {
      return drop(header, Reason.NO_KEYS, chain.encryptedType + " arrived before keys exist");
    }
    return chain.encryptedType.equals(PayloadType.SK)
        ? openSk(header, buf, offset, chain, inbound)
        : openSkf(header, buf, offset, chain, inbound);
  }

  private static DecodeResult openSk(
      IkeHeader header, byte[] buf, int offset, PayloadChain chain, SkProtector inbound) {
    int bodyStart = chain.encryptedOffset + PayloadChain.GENERIC_HEADER;
    // RFC 7296 section 3.14: the ICV covers the message from the header through the SK header.
    byte[] aad = Arrays.copyOfRange(buf, offset, bodyStart);
    byte[] inner = open(inbound, aad, buf, bodyStart,
        chain.encryptedLength - PayloadChain.GENERIC_HEADER);
    if (inner == PROTECTOR_FAILED) {
      return drop(header, Reason.PROTECTOR_FAILED, "the SkProtector threw while opening SK");
    }
    if (inner == null) {
      return drop(header, Reason.AUTHENTICATION_FAILED, "SK payload did not authenticate");
    }
    return decodeInner(header, chain.innerFirst, inner);
  }

  private static DecodeResult openSkf(
      IkeHeader header, byte[] buf, int offset, PayloadChain chain, SkProtector inbound) {
    int skf = chain.encryptedOffset;
    if (chain.encryptedLength < MessageEncoder.SKF_HEADER) {
      return drop(header, Reason.MALFORMED,
          "SKF payload length " + chain.encryptedLength + " < " + MessageEncoder.SKF_HEADER);
    }
    int number = WireReader.u16(buf, skf + 4);
    int total = WireReader.u16(buf, skf + 6);
    // RFC 7383 section 2.6: numbers run 1..Total Fragments; anything else is discarded.
    if (number < 1 || total < 1 || number > total) {
      return drop(header, Reason.BAD_FRAGMENT, "fragment " + number + " of " + total);
    }
    int bodyStart = skf + MessageEncoder.SKF_HEADER;
    // RFC 7383 section 2.5: each fragment is authenticated on its own; the associated data runs
    // through Total Fragments.
    byte[] aad = Arrays.copyOfRange(buf, offset, bodyStart);
    byte[] inner = open(inbound, aad, buf, bodyStart,
        chain.encryptedLength - MessageEncoder.SKF_HEADER);
    if (inner == PROTECTOR_FAILED) {
      return drop(header, Reason.PROTECTOR_FAILED, "the SkProtector threw while opening SKF");
    }
    if (inner == null) {
      return drop(header, Reason.AUTHENTICATION_FAILED,
          "SKF fragment " + number + " of " + total + " did not authenticate");
    }
    PayloadType first = number == 1 ? chain.innerFirst : PayloadType.NONE;
    return new DecodeResult.Fragment(header, number, total, first, Bytes.wrap(inner));
  }

  /**
   * Parses authenticated inner payload octets (an SK body, or reassembled fragments) starting with
   * {@code first}; yields {@link DecodeResult.Ok} or {@link DecodeResult.ProtectedError}.
   */
  static DecodeResult decodeInner(IkeHeader header, PayloadType first, byte[] inner) {
    try {
      PayloadChain chain = PayloadChain.parse(inner, 0, inner.length, first, false);
      return new DecodeResult.Ok(header, message(header, true, chain.payloads));
    } catch (PayloadSyntaxException e) {
      return new DecodeResult.ProtectedError(header, e.error(), e.notifyData(), e.getMessage());
    }
  }

  private static IkeMessage message(IkeHeader h, boolean encrypted, List<IkePayload> payloads) {
    return new IkeMessage(
        h.initiatorSpi(),
        h.responderSpi(),
        h.exchangeType(),
        h.isInitiator(),
        h.isResponse(),
        h.messageId(),
        encrypted,
        payloads);
  }

  private static DecodeResult drop(IkeHeader header, Reason reason, String detail) {
    return new DecodeResult.UnprotectedError(header, reason, Bytes.EMPTY, detail);
  }
}
