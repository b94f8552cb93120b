package dev.ferry.vpn.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PacketBatchTest {

  @Test
  void defaultRoomFitsTheLargestEspInUdpEncapsulation() {
    // IPv6 40 + UDP 8 + SPI/seq 8 + CBC IV 16 in front; 15 pad + 2 trailer + 32 ICV behind.
    assertTrue(PacketBatch.DEFAULT_HEADROOM >= 40 + 8 + 8 + 16);
    assertTrue(PacketBatch.DEFAULT_TAILROOM >= 15 + 2 + 32);
    PacketBatch batch = PacketBatch.forMtu(4, 1400);
    assertEquals(4, batch.capacity());
    assertEquals(PacketBatch.DEFAULT_HEADROOM + 1400 + PacketBatch.DEFAULT_TAILROOM,
        batch.bufferLength());
    assertEquals(batch.headroom(), batch.offset(3));
    assertEquals(0, batch.length(3));
  }

  @Test
  void buffersKeepTheirIdentity() {
    PacketBatch batch = PacketBatch.forMtu(2, 100);
    byte[] first = batch.buffer(0);
    batch.put(0, new byte[] {1, 2, 3}, 0, 3);
    batch.set(0, 5, 10);
    batch.clear(0);
    assertSame(first, batch.buffer(0));
    assertEquals(batch.headroom(), batch.offset(0));
  }

  @Test
  void putPlacesThePacketAtTheHeadroom() {
    PacketBatch batch = new PacketBatch(1, 16, 8, 4);
    batch.put(0, new byte[] {9, 1, 2, 3, 9}, 1, 3);
    assertEquals(8, batch.offset(0));
    assertArrayEquals(new byte[] {1, 2, 3}, batch.copyOf(0));
  }

  @Test
  void refusesBadShapesWithTheirValues() {
    var e = assertThrows(IllegalArgumentException.class, () -> new PacketBatch(0, 1500, 80, 64));
    assertTrue(e.getMessage().contains("capacity 0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new PacketBatch(1, 65536, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new PacketBatch(1, 100, -1, 0));
    PacketBatch batch = new PacketBatch(1, 16, 8, 4);
    var tooLong = assertThrows(IllegalArgumentException.class, () -> batch.put(0, new byte[17], 0, 17));
    assertTrue(tooLong.getMessage().contains("17 bytes"), tooLong.getMessage());
  }

  @Property
  void setAcceptsExactlyTheRangesInsideTheBuffer(
      @ForAll @IntRange(min = -4, max = 40) int offset,
      @ForAll @IntRange(min = -4, max = 40) int length) {
    PacketBatch batch = new PacketBatch(1, 16, 8, 4); // 28-byte buffers
    boolean inside = offset >= 0 && length >= 0 && offset + length <= 28;
    if (inside) {
      batch.set(0, offset, length);
      assertEquals(offset, batch.offset(0));
      assertEquals(length, batch.length(0));
    } else {
      batch.set(0, 3, 4);
      assertThrows(IndexOutOfBoundsException.class, () -> batch.set(0, offset, length));
      assertEquals(3, batch.offset(0), "a refused set changes nothing");
      assertEquals(4, batch.length(0));
    }
  }
}
