package dev.ferry.vpn.ike.message;

import java.util.Objects;

/**
 * What {@link IkeMessageDecoder} made of one datagram. Decoding never throws; every outcome is one
 * of these, and the dispatcher switches over them:
 *
 * <ul>
 *   <li>{@link Ok}: a complete message.
 *   <li>{@link Fragment}: one authenticated RFC 7383 fragment; feed it to a {@link
 *       FragmentReassembler}.
 *   <li>{@link ProtectedError}: the message authenticated but its inner payloads are malformed;
 *       RFC 7296 section 2.21.2 says to answer a request with an encrypted notify of {@link
 *       ProtectedError#error()} (INVALID_SYNTAX or UNSUPPORTED_CRITICAL_PAYLOAD).
 *   <li>{@link UnprotectedError}: nothing here is authenticated (bad framing, unknown keys, ICV
 *       failure, malformed clear payloads); drop it, count it, change no state (section 2.21).
 * </ul>
 */
public sealed interface DecodeResult {

  /** A complete message and the header it arrived with. */
  record Ok(IkeHeader header, IkeMessage message) implements DecodeResult {
    public Ok {
      Objects.requireNonNull(header, "header");
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * One authenticated and decrypted SKF fragment (RFC 7383 section 2.5): its number (1-based), the
   * total, the first inner payload's type (from fragment 1 only; NONE for the others, whose field
   * RFC 7383 says to ignore) and its share of the inner payload octets.
   */
  record Fragment(
      IkeHeader header, int number, int total, PayloadType firstPayload, Bytes innerOctets)
      implements DecodeResult {
    public Fragment {
      Objects.requireNonNull(header, "header");
      Objects.requireNonNull(firstPayload, "firstPayload");
      Objects.requireNonNull(innerOctets, "innerOctets");
      if (total < 1 || number < 1 || number > total || total > MessageEncoder.MAX_FRAGMENTS) {
        throw new IllegalArgumentException(
            "fragment " + number + " of " + total + " is outside 1..total <= 65535");
      }
    }
  }

  /**
   * An authenticated message whose inner payloads break RFC 7296 section 3: answer a request with
   * {@code N(error)} carrying {@code notifyData} inside SK; never answer a response.
   */
  record ProtectedError(IkeHeader header, NotifyType error, Bytes notifyData, String detail)
      implements DecodeResult {
    public ProtectedError {
      Objects.requireNonNull(header, "header");
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(notifyData, "notifyData");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * An unauthenticated failure: drop and count by {@code reason}. {@code header} is null only when
   * fewer than 28 octets arrived. For {@link Reason#UNSUPPORTED_MAJOR_VERSION} a responder may
   * answer INVALID_MAJOR_VERSION in the clear (RFC 7296 section 2.5); for {@link
   * Reason#UNSUPPORTED_CRITICAL_PAYLOAD} in an IKE_SA_INIT request it may answer
   * UNSUPPORTED_CRITICAL_PAYLOAD with {@code notifyData}; otherwise it stays silent.
   */
  record UnprotectedError(IkeHeader header, Reason reason, Bytes notifyData, String detail)
      implements DecodeResult {
    public UnprotectedError {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(notifyData, "notifyData");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /** Why an unauthenticated datagram was dropped; one counter each. */
  enum Reason {
    /** Fewer than 28 octets: no IKE header. */
    TRUNCATED_HEADER,
    /** Major version other than 2 (RFC 7296 section 2.5). */
    UNSUPPORTED_MAJOR_VERSION,
    /** The header's Length disagrees with the datagram size (RFC 7296 section 3.1). */
    LENGTH_MISMATCH,
    /** Clear payloads (or the framing of SK/SKF) break the payload rules. */
    MALFORMED,
    /** A clear payload of unknown type has the critical bit set (RFC 7296 section 2.5). */
    UNSUPPORTED_CRITICAL_PAYLOAD,
    /** The message is encrypted but no keys exist yet (inbound protector was null). */
    NO_KEYS,
    /** The ICV did not verify or the body did not decrypt (RFC 7296 section 3.14). */
    AUTHENTICATION_FAILED,
    /** The inbound SkProtector threw instead of returning null: a bug in that protector. */
    PROTECTOR_FAILED,
    /** SKF numbering is invalid: number 0, number above total, or total 0 (RFC 7383 2.6). */
    BAD_FRAGMENT
  }
}
