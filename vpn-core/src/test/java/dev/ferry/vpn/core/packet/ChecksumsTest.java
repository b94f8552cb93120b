package dev.ferry.vpn.core.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ChecksumsTest {

  @Test
  void rfc1071Example() {
    // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2.
    byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
    assertEquals(0xddf2, Checksums.sum(b, 0, b.length));
    assertEquals(0x220d, Checksums.checksum(b, 0, b.length));
  }

  @Test
  void rfc1624Example() {
    // RFC 1624 section 4: HC 0xdd2f, a word 0x5555 becomes 0x3285; eqn. 3 gives 0x0000.
    assertEquals(0x0000, Checksums.update16(0xdd2f, 0x5555, 0x3285));
  }

  @Property
  void sumEqualsWordByWordSum(
      @ForAll @Size(max = 2000) byte[] data, @ForAll @IntRange(max = 100) int from) {
    int off = Math.min(from, data.length);
    int len = data.length - off;
    assertEquals(TestPackets.foldSum(TestPackets.naiveSum(data, off, len)),
        Checksums.sum(data, off, len));
  }

  @Property
  void updateEqualsRecomputation(
      @ForAll @Size(min = 2, max = 64) byte[] data, @ForAll int word, @ForAll int position) {
    int at = Math.floorMod(position, data.length / 2) * 2;
    int before = Checksums.checksum(data, 0, data.length);
    int old = (data[at] & 0xff) << 8 | (data[at + 1] & 0xff);
    int replacement = word & 0xffff;
    data[at] = (byte) (replacement >>> 8);
    data[at + 1] = (byte) replacement;
    // For data that is not all zero, eqn. 3 and a full computation agree (RFC 1624 section 3).
    Assume.that(Checksums.sum(data, 0, data.length) != 0);
    assertEquals(Checksums.checksum(data, 0, data.length), Checksums.update16(before, old, replacement));
  }

  @Property
  void pseudoHeaderSumsMatchWordSums(@ForAll int source, @ForAll int destination,
      @ForAll @IntRange(max = 255) int protocol, @ForAll @IntRange(max = 0xffff) int length) {
    long expected = (source >>> 16) + (source & 0xffff) + (destination >>> 16)
        + (destination & 0xffff) + protocol + length;
    assertEquals(TestPackets.foldSum(expected),
        Checksums.pseudoHeaderSumIpv4(source, destination, protocol, length));
  }

  @Property
  void sum128MatchesBytes(@ForAll long high, @ForAll long low) {
    byte[] b = dev.ferry.vpn.core.net.Ipv6Address.of(high, low).toBytes();
    assertEquals(TestPackets.foldSum(TestPackets.naiveSum(b, 0, 16)), Checksums.sum128(high, low));
  }

  @Property
  void sumOfSaturatedWordsKeepsItsRepresentation(
      @ForAll @IntRange(max = 70_000) int length, @ForAll @IntRange(max = 1) int zeroes) {
    // All-ones (or all-zero) data puts the deferred carries and the final swap at their limits.
    byte[] data = new byte[length];
    java.util.Arrays.fill(data, zeroes == 1 ? (byte) 0 : (byte) 0xff);
    assertEquals(TestPackets.foldSum(TestPackets.naiveSum(data, 0, length)),
        Checksums.sum(data, 0, length));
  }
}
