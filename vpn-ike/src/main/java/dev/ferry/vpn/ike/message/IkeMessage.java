package dev.ferry.vpn.ike.message;

import dev.ferry.vpn.ike.crypto.SkProtector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One IKE message: the header fields that carry meaning, and its payloads in order (RFC 7296
 * section 3). When {@link #encrypted()} is true every payload travels inside one SK payload (or
 * SKF fragments), which is the last and only payload of the datagram (section 3.14); otherwise
 * they travel in the clear (IKE_SA_INIT, and error notifies sent before keys exist).
 *
 * <p>Framing fields are not part of the value: the Length and Next Payload fields are computed when
 * encoding, the major version is always 2 and the minor version 0, and the V flag is never set
 * (section 3.1: senders clear it, receivers ignore it). So {@code decode(encode(m))} yields a
 * message equal to {@code m}; the received {@link IkeHeader} travels next to it in {@link
 * DecodeResult.Ok}.
 *
 * <p>{@code messageId} is the unsigned 32-bit Message ID held in a {@code long}
 * (0..0xFFFFFFFF). {@code initiator} is the I flag (sender is the original initiator of the IKE
 * SA), {@code response} the R flag.
 */
public record IkeMessage(
    long initiatorSpi,
    long responderSpi,
    ExchangeType exchangeType,
    boolean initiator,
    boolean response,
    long messageId,
    boolean encrypted,
    List<IkePayload> payloads) {

  public IkeMessage {
    Objects.requireNonNull(exchangeType, "exchangeType");
    IkeHeader.checkUnsigned32("messageId", messageId);
    payloads = List.copyOf(payloads);
  }

  /** The header {@link #encode} writes for a message of {@code length} octets. */
  IkeHeader header(PayloadType nextPayload, long length) {
    int flags = (initiator ? IkeHeader.FLAG_INITIATOR : 0) | (response ? IkeHeader.FLAG_RESPONSE : 0);
    return new IkeHeader(
        initiatorSpi,
        responderSpi,
        nextPayload,
        IkeHeader.MAJOR_VERSION,
        0,
        exchangeType,
        flags,
        messageId,
        length);
  }

  /**
   * Encodes a message whose payloads travel in the clear. Throws IllegalStateException when the
   * message is {@link #encrypted()} (use {@link #encode(SkProtector)}), IllegalArgumentException
   * when a payload is too large for its 16-bit length.
   */
  public byte[] encode() {
    return MessageEncoder.encodePlain(this);
  }

  /**
   * Encodes an {@link #encrypted()} message: all payloads go into one SK payload sealed by {@code
   * outbound} (RFC 7296 section 3.14), with the final lengths in the associated data.
   */
  public byte[] encode(SkProtector outbound) {
    return MessageEncoder.encodeProtected(this, outbound);
  }

  /**
   * Encodes an {@link #encrypted()} message as RFC 7383 fragments: SKF messages of at most {@code
   * maxMessageSize} octets each (IKE header onwards, without IP/UDP headers or the non-ESP marker),
   * numbered 1..N, each sealed separately with the same Message ID. The first fragment's SKF Next
   * Payload names the first inner payload; the others carry 0 (RFC 7383 section 2.5). Throws
   * IllegalArgumentException when even one octet of inner payload cannot fit.
   */
  public List<byte[]> encodeFragments(SkProtector outbound, int maxMessageSize) {
    return MessageEncoder.encodeFragments(this, outbound, maxMessageSize);
  }

  // The three look-ups below run many times per message (every task asks for its payloads), so
  // they are plain loops over the few payloads rather than streams.

  /** The payloads of one record type, in order. */
  public <T extends IkePayload> List<T> payloads(Class<T> kind) {
    List<T> matching = new ArrayList<>();
    for (IkePayload p : payloads) {
      if (kind.isInstance(p)) {
        matching.add(kind.cast(p));
      }
    }
    return Collections.unmodifiableList(matching);
  }

  /** The first payload of one record type. */
  public <T extends IkePayload> Optional<T> first(Class<T> kind) {
    for (IkePayload p : payloads) {
      if (kind.isInstance(p)) {
        return Optional.of(kind.cast(p));
      }
    }
    return Optional.empty();
  }

  /** The first Notify payload of {@code type}. */
  public Optional<NotifyPayload> notify(NotifyType type) {
    for (IkePayload p : payloads) {
      if (p instanceof NotifyPayload n && n.notifyType().equals(type)) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }

  /**
   * One line in strongSwan's style for DEBUG logs, e.g. {@code IKE_AUTH request 1 [ IDi
   * N(INIT_CONTACT) AUTH SA TSi TSr ]}. Contains no payload data.
   */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append(exchangeType).append(response ? " response " : " request ").append(messageId);
    sb.append(" [");
    for (IkePayload p : payloads) {
      sb.append(' ').append(p.summary());
    }
    return sb.append(" ]").toString();
  }
}
