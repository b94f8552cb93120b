package dev.ferry.vpn.ike.message;

/**
 * One IKEv2 payload (RFC 7296 section 3.2) without its generic header: the codec writes Next
 * Payload, the critical bit and Payload Length from the payload's position and body. Every record
 * is immutable and compares by value, so {@code decode(encode(m)).equals(m)}.
 *
 * <p>SK and SKF (section 3.14, RFC 7383) are not payload records: an {@link IkeMessage} marked
 * {@link IkeMessage#encrypted()} carries its payloads inside one of them.
 */
public sealed interface IkePayload
    permits SaPayload,
        KePayload,
        IdPayload,
        CertPayload,
        CertReqPayload,
        AuthPayload,
        NoncePayload,
        NotifyPayload,
        DeletePayload,
        VendorIdPayload,
        TsPayload,
        ConfigPayload,
        EapPayload,
        UnknownPayload {

  /** The Payload Type that announces this payload in the preceding Next Payload field. */
  PayloadType type();

  /** The summary token strongSwan logs for this payload, e.g. {@code SA} or {@code N(COOKIE)}. */
  String summary();
}
