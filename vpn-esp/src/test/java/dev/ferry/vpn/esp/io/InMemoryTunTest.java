package dev.ferry.vpn.esp.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.io.PacketBatch;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class InMemoryTunTest {

  private static final int MTU = 200;

  /** An IPv4-looking packet of {@code length} bytes whose bytes after the first encode {@code id}. */
  static byte[] packet(int version, int length, int id) {
    byte[] p = new byte[length];
    if (length > 0) {
      p[0] = (byte) (version << 4 | 5);
    }
    for (int i = 1; i < length; i++) {
      p[i] = (byte) (id + i);
    }
    return p;
  }

  @Test
  void readReturnsInjectedPacketsInOrderAtTheHeadroom() throws Exception {
    try (InMemoryTun tun = new InMemoryTun(MTU, 8, 16)) {
      for (int i = 0; i < 3; i++) {
        assertTrue(tun.inject(packet(4, 20 + i, i)));
      }
      PacketBatch batch = PacketBatch.forMtu(8, MTU);
      assertEquals(3, tun.read(batch));
      for (int i = 0; i < 3; i++) {
        assertEquals(batch.headroom(), batch.offset(i));
        assertArrayEquals(packet(4, 20 + i, i), batch.copyOf(i));
      }
      assertEquals(0, tun.pendingReads());
    }
  }

  @Test
  void oneReadReturnsAtMostTheBatchSizeAndTheBatchCapacity() throws Exception {
    try (InMemoryTun tun = new InMemoryTun(MTU, 4, 32)) {
      for (int i = 0; i < 10; i++) {
        tun.inject(packet(6, 40, i));
      }
      assertEquals(4, tun.read(PacketBatch.forMtu(16, MTU)), "limited by batchSize");
      assertEquals(2, tun.read(PacketBatch.forMtu(2, MTU)), "limited by capacity");
      assertEquals(4, tun.pendingReads());
    }
  }

  @Test
  void writeRefusesWhatARealDeviceRefusesAndCountsOnlyAccepted() throws Exception {
    try (InMemoryTun tun = new InMemoryTun(MTU, 8, 16)) {
      PacketBatch batch = PacketBatch.forMtu(4, MTU);
      batch.put(0, packet(4, 60, 1), 0, 60);
      batch.put(1, packet(5, 60, 2), 0, 60); // version 5: neither IPv4 nor IPv6
      batch.set(2, batch.headroom(), 0); // empty
      batch.put(3, packet(6, 70, 3), 0, 70);
      assertEquals(2, tun.write(batch, 4));
      assertArrayEquals(packet(4, 60, 1), tun.takeWritten(Duration.ofSeconds(1)));
      assertArrayEquals(packet(6, 70, 3), tun.takeWritten(Duration.ofSeconds(1)));
      assertNull(tun.takeWritten(Duration.ofMillis(10)));
    }
  }

  @Test
  void injectRefusesOversizedAndNonIpPackets() {
    try (InMemoryTun tun = new InMemoryTun(MTU, 8, 16)) {
      assertFalse(tun.inject(packet(4, MTU + 1, 0)));
      assertFalse(tun.inject(packet(0, 30, 0)));
      assertFalse(tun.inject(new byte[0]));
      assertTrue(tun.inject(packet(4, MTU, 0)));
    }
  }

  @Test
  void aFullQueueDropsInsteadOfBlocking() throws Exception {
    try (InMemoryTun tun = new InMemoryTun(MTU, 8, 2)) {
      assertTrue(tun.inject(packet(4, 20, 1)));
      assertTrue(tun.inject(packet(4, 20, 2)));
      assertFalse(tun.inject(packet(4, 20, 3)));
      PacketBatch batch = PacketBatch.forMtu(3, MTU);
      for (int i = 0; i < 3; i++) {
        batch.put(i, packet(4, 20, i), 0, 20);
      }
      assertEquals(2, tun.write(batch, 3));
    }
  }

  @Test
  void aPairCrossesWritesToTheOtherSidesReads() throws Exception {
    InMemoryTun.Pair pair = InMemoryTun.pair(MTU, 8, 16);
    PacketBatch batch = PacketBatch.forMtu(8, MTU);
    batch.put(0, packet(4, 33, 7), 0, 33);
    assertEquals(1, pair.left().write(batch, 1));
    PacketBatch in = PacketBatch.forMtu(8, MTU);
    assertEquals(1, pair.right().read(in));
    assertArrayEquals(packet(4, 33, 7), in.copyOf(0));
    pair.left().close();
    assertEquals(-1, pair.right().read(in), "closing one end takes the link down");
  }

  @Test
  void closeWakesABlockedReaderAndLaterCallsFollowTheContract() throws Exception {
    InMemoryTun tun = new InMemoryTun(MTU, 8, 16);
    PacketBatch batch = PacketBatch.forMtu(8, MTU);
    CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
      try {
        return tun.read(batch);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(50);
    assertFalse(reader.isDone(), "read blocks while nothing is queued");
    tun.close();
    assertEquals(-1, reader.get(5, TimeUnit.SECONDS));
    assertEquals(-1, tun.read(batch));
    assertThrows(ClosedChannelException.class, () -> tun.write(batch, 1));
    assertFalse(tun.inject(packet(4, 20, 0)));
    tun.close(); // idempotent
  }

  @Test
  void aConcurrentReaderSeesEveryPacketOnceInOrder() throws Exception {
    int total = 5_000;
    try (InMemoryTun tun = new InMemoryTun(MTU, 32, 64)) {
      Thread producer = new Thread(() -> {
        for (int i = 0; i < total; i++) {
          byte[] p = packet(4, 8, 0);
          p[4] = (byte) (i >>> 24);
          p[5] = (byte) (i >>> 16);
          p[6] = (byte) (i >>> 8);
          p[7] = (byte) i;
          while (!tun.inject(p)) {
            Thread.onSpinWait(); // full: the reader is behind
          }
        }
      });
      producer.start();
      PacketBatch batch = PacketBatch.forMtu(32, MTU);
      int expected = 0;
      while (expected < total) {
        int n = tun.read(batch);
        for (int i = 0; i < n; i++) {
          byte[] b = batch.buffer(i);
          int at = batch.offset(i) + 4;
          int seq = (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8
              | (b[at + 3] & 0xff);
          assertEquals(expected++, seq);
        }
      }
      producer.join();
      assertEquals(0, tun.pendingReads());
    }
  }

  @Test
  void refusesBatchesTooSmallForTheMtu() {
    try (InMemoryTun tun = new InMemoryTun(MTU, 8, 16)) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> tun.read(PacketBatch.forMtu(8, MTU - 1)));
      assertTrue(e.getMessage().contains("MTU " + MTU), e.getMessage());
    }
  }

  /** A packet as the property injects it: its IP version nibble and length. */
  record Injected(int version, int length) {}

  @Provide
  Arbitrary<List<Injected>> injections() {
    Arbitrary<Integer> versions = Arbitraries.of(4, 6, 4, 6, 0, 5);
    Arbitrary<Integer> lengths = Arbitraries.integers().between(0, MTU + 20);
    return Combinators.combine(versions, lengths).as(Injected::new).list().ofMaxSize(40);
  }

  @Property(tries = 300)
  void readsEqualAReferenceBoundedFifo(
      @ForAll("injections") List<Injected> injections,
      @ForAll("capacities") int capacity,
      @ForAll("capacities") int batchSize) throws Exception {
    try (InMemoryTun tun = new InMemoryTun(MTU, batchSize, capacity)) {
      Deque<byte[]> model = new ArrayDeque<>();
      for (int i = 0; i < injections.size(); i++) {
        Injected p = injections.get(i);
        byte[] bytes = packet(p.version(), p.length(), i);
        boolean valid = p.length() >= 1 && p.length() <= MTU
            && (p.version() == 4 || p.version() == 6);
        boolean fits = model.size() < capacity;
        assertEquals(valid && fits, tun.inject(bytes), "inject " + p);
        if (valid && fits) {
          model.add(bytes);
        }
      }
      List<byte[]> read = new ArrayList<>();
      PacketBatch batch = PacketBatch.forMtu(16, MTU);
      while (tun.pendingReads() > 0) {
        int n = tun.read(batch);
        assertTrue(n >= 1 && n <= Math.min(16, batchSize), "count " + n);
        for (int i = 0; i < n; i++) {
          read.add(batch.copyOf(i));
        }
      }
      assertEquals(model.size(), read.size());
      int i = 0;
      for (byte[] expected : model) {
        assertArrayEquals(expected, read.get(i++));
      }
    }
  }

  @Provide
  Arbitrary<Integer> capacities() {
    return Arbitraries.integers().between(1, 24);
  }
}
