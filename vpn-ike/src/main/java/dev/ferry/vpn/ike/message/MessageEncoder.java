package dev.ferry.vpn.ike.message;

import dev.ferry.vpn.ike.crypto.SkProtector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Writes {@link IkeMessage}s: in the clear, inside one SK payload, or as SKF fragments. */
final class MessageEncoder {
  /** SKF generic header plus Fragment Number and Total Fragments (RFC 7383 section 2.5). */
  static final int SKF_HEADER = 8;
  /** RFC 7383 section 2.5: Fragment Number and Total Fragments are 16-bit fields. */
  static final int MAX_FRAGMENTS = 0xffff;

  private MessageEncoder() {}

  static byte[] encodePlain(IkeMessage m) {
    if (m.encrypted()) {
      throw new IllegalStateException(
          "an encrypted message needs an SkProtector: use encode(SkProtector)");
    }
    WireWriter out = new WireWriter(256);
    out.zeros(IkeHeader.LENGTH);
    PayloadChain.write(out, m.payloads());
    byte[] bytes = out.toByteArray();
    m.header(firstType(m), bytes.length).writeTo(bytes, 0);
    return bytes;
  }

  private static PayloadType firstType(IkeMessage m) {
    return m.payloads().isEmpty() ? PayloadType.NONE : m.payloads().get(0).type();
  }

  /** The inner payload chain of an encrypted message: the plaintext of SK or of all SKFs. */
  private static byte[] innerPlaintext(IkeMessage m, SkProtector outbound) {
    Objects.requireNonNull(outbound, "outbound");
    if (!m.encrypted()) {
      throw new IllegalStateException(
          "the message is not marked encrypted: use encode() for messages sent in the clear");
    }
    WireWriter inner = new WireWriter(256);
    PayloadChain.write(inner, m.payloads());
    return inner.toByteArray();
  }

  static byte[] encodeProtected(IkeMessage m, SkProtector outbound) {
    byte[] plaintext = innerPlaintext(m, outbound);
    int bodyLength = outbound.bodyLength(plaintext.length);
    int skLength = PayloadChain.GENERIC_HEADER + bodyLength;
    if (skLength > 0xffff) {
      throw new IllegalArgumentException(
          "SK payload of " + skLength + " octets exceeds 65535; fragment the message instead");
    }
    int total = IkeHeader.LENGTH + skLength;
    byte[] message = new byte[total];
    m.header(PayloadType.SK, total).writeTo(message, 0);
    // RFC 7296 section 3.14: the SK header's Next Payload is the first inner payload's type.
    message[IkeHeader.LENGTH] = (byte) firstType(m).value();
    message[IkeHeader.LENGTH + 2] = (byte) (skLength >>> 8);
    message[IkeHeader.LENGTH + 3] = (byte) skLength;
    int aadLength = IkeHeader.LENGTH + PayloadChain.GENERIC_HEADER;
    seal(outbound, message, aadLength, plaintext, bodyLength);
    return message;
  }

  /**
   * Seals {@code plaintext} with {@code message[0, aadLength)} as associated data and writes the
   * body behind it.
   */
  private static void seal(
      SkProtector outbound, byte[] message, int aadLength, byte[] plaintext, int bodyLength) {
    byte[] body = outbound.seal(Arrays.copyOf(message, aadLength), plaintext);
    if (body.length != bodyLength) {
      throw new IllegalStateException(
          "SkProtector sealed " + body.length + " octets but announced " + bodyLength);
    }
    System.arraycopy(body, 0, message, aadLength, bodyLength);
  }

  static List<byte[]> encodeFragments(IkeMessage m, SkProtector outbound, int maxMessageSize) {
    byte[] plaintext = innerPlaintext(m, outbound);
    int overhead = IkeHeader.LENGTH + SKF_HEADER;
    int room = Math.min(maxMessageSize - overhead, 0xffff - SKF_HEADER);
    int chunk = largestChunk(outbound, room, plaintext.length);
    if (chunk < 1) {
      throw new IllegalArgumentException(
          "no inner payload octet fits a fragment of at most " + maxMessageSize + " octets");
    }
    int count = Math.max(1, (plaintext.length + chunk - 1) / chunk);
    if (count > MAX_FRAGMENTS) {
      throw new IllegalArgumentException(
          count + " fragments needed; RFC 7383 allows at most " + MAX_FRAGMENTS);
    }
    List<byte[]> fragments = new ArrayList<>(count);
    for (int number = 1; number <= count; number++) {
      int from = (number - 1) * chunk;
      int to = Math.min(plaintext.length, from + chunk);
      byte[] part = Arrays.copyOfRange(plaintext, from, to);
      int bodyLength = outbound.bodyLength(part.length);
      int total = overhead + bodyLength;
      byte[] message = new byte[total];
      m.header(PayloadType.SKF, total).writeTo(message, 0);
      int p = IkeHeader.LENGTH;
      // RFC 7383 section 2.5: only the first fragment names the first inner payload.
      message[p] = (byte) (number == 1 ? firstType(m).value() : 0);
      int skfLength = SKF_HEADER + bodyLength;
      message[p + 2] = (byte) (skfLength >>> 8);
      message[p + 3] = (byte) skfLength;
      message[p + 4] = (byte) (number >>> 8);
      message[p + 5] = (byte) number;
      message[p + 6] = (byte) (count >>> 8);
      message[p + 7] = (byte) count;
      seal(outbound, message, overhead, part, bodyLength);
      fragments.add(message);
    }
    return fragments;
  }

  /** The largest plaintext length in [1, max] whose sealed body fits {@code room}, or 0. */
  private static int largestChunk(SkProtector outbound, int room, int plaintextLength) {
    int lo = 0;
    int hi = Math.max(1, Math.min(plaintextLength, room));
    while (lo < hi) {
      int mid = lo + (hi - lo + 1) / 2;
      if (outbound.bodyLength(mid) <= room) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }
}
