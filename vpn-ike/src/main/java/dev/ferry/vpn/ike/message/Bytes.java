package dev.ferry.vpn.ike.message;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable octet string with value semantics: {@code equals}/{@code hashCode} compare content,
 * {@link #compareTo} orders as unsigned octets, {@code toString} is lowercase hex. Payload records
 * hold their opaque fields (nonces, key exchange data, SPIs) as {@code Bytes} so that record
 * equality compares what is on the wire.
 *
 * <p>Not for secrets: the content appears in {@code toString}. Key material belongs in {@code
 * dev.ferry.vpn.core.crypto.Secret}.
 */
public final class Bytes implements Comparable<Bytes> {

  /** The empty octet string. */
  public static final Bytes EMPTY = new Bytes(new byte[0]);

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] data;

  private Bytes(byte[] data) {
    this.data = data;
  }

  /** A copy of {@code octets}. */
  public static Bytes of(byte... octets) {
    Objects.requireNonNull(octets, "octets");
    return octets.length == 0 ? EMPTY : new Bytes(octets.clone());
  }

  /** Octets given as ints 0..255, e.g. {@code Bytes.octets(0x80, 0x0e)}. */
  public static Bytes octets(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0 || values[i] > 0xff) {
        throw new IllegalArgumentException("octet " + i + " value " + values[i] + " is outside 0..255");
      }
      out[i] = (byte) values[i];
    }
    return wrap(out);
  }

  /** A copy of {@code src[offset, offset+length)}. */
  public static Bytes copyOf(byte[] src, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, src.length);
    return length == 0 ? EMPTY : new Bytes(Arrays.copyOfRange(src, offset, offset + length));
  }

  /** Parses lowercase or uppercase hex without separators; throws IllegalArgumentException. */
  public static Bytes fromHex(String hex) {
    return wrap(HEX.parseHex(hex));
  }

  /** Takes ownership of {@code octets}; callers must not modify the array afterwards. */
  static Bytes wrap(byte[] octets) {
    return octets.length == 0 ? EMPTY : new Bytes(octets);
  }

  public int length() {
    return data.length;
  }

  public boolean isEmpty() {
    return data.length == 0;
  }

  /** The octet at {@code index} as an unsigned value 0..255. */
  public int get(int index) {
    return data[index] & 0xff;
  }

  /** A fresh copy of the content. */
  public byte[] toByteArray() {
    return data.clone();
  }

  /** Copies the content into {@code dst} starting at {@code offset}. */
  public void copyTo(byte[] dst, int offset) {
    System.arraycopy(data, 0, dst, offset, data.length);
  }

  /** Lowercase hex of the content. */
  public String hex() {
    return HEX.formatHex(data);
  }

  /** The content decoded as UTF-8 (for FQDN and RFC 822 identities, which are ASCII). */
  public String utf8() {
    return new String(data, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes b && Arrays.equals(data, b.data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data);
  }

  @Override
  public int compareTo(Bytes other) {
    return Arrays.compareUnsigned(data, other.data);
  }

  @Override
  public String toString() {
    return hex();
  }
}
