package dev.ferry.vpn.esp.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {

  /** The RFC 4303 section 3.4.3 rule written as plainly as possible: the oracle. */
  static final class ReferenceWindow {
    private final int size;
    private final TreeSet<Long> seen = new TreeSet<>();
    private long top;

    ReferenceWindow(int size) {
      this.size = size;
    }

    boolean accept(long seq) {
      boolean ok = seq > 0
          && (seq > top || size == 0 || (top - seq < size && !seen.contains(seq)));
      if (ok) {
        seen.add(seq);
        top = Math.max(top, seq);
      }
      return ok;
    }
  }

  /** Runs the real window the way an inbound SA does: infer, check, authenticate, commit. */
  static boolean arrive(ReplayWindow window, long seq) {
    long inferred = window.infer((int) seq);
    // The ICV covers the high bits (RFC 4303 section 2.2.1), so a wrongly inferred number
    // never authenticates.
    boolean authentic = inferred == seq;
    if (!window.check(inferred) || !authentic) {
      return false;
    }
    window.commit(inferred);
    return true;
  }

  record Arrivals(int size, boolean esn, List<Long> numbers) {}

  @Provide
  Arbitrary<Arrivals> arrivals() {
    Arbitrary<Integer> sizes = Arbitraries.of(1, 2, 63, 64, 65, 100, 1024, 4096);
    Arbitrary<Boolean> esn = Arbitraries.of(true, false);
    Arbitrary<List<Long>> steps = Arbitraries.longs().between(-300, 300)
        .injectDuplicates(0.2)
        .list().ofMinSize(1).ofMaxSize(300);
    return Combinators.combine(sizes, esn, steps, Arbitraries.integers().between(0, 3))
        .as((size, extended, deltas, region) -> {
          // Start near a 2^32 boundary so ESN inference crosses it (RFC 4303 Appendix A2).
          long start = extended ? region * (1L << 32) - 150 : 1 + region * 1000L;
          List<Long> numbers = new ArrayList<>();
          long cursor = Math.max(1, start);
          for (long d : deltas) {
            cursor = Math.max(1, cursor + d);
            if (!extended) {
              cursor = Math.min(cursor, 0xFFFF_FFFFL);
            }
            numbers.add(cursor);
          }
          return new Arrivals(size, extended, numbers);
        });
  }

  @Property(tries = 500)
  void acceptedSetEqualsTheReferenceModel(@ForAll("arrivals") Arrivals a) {
    ReplayWindow window = new ReplayWindow(a.size(), a.esn());
    ReferenceWindow reference = new ReferenceWindow(a.size());
    if (a.esn()) {
      // Put the window where the sequence starts: an ESN receiver has seen earlier packets.
      long first = a.numbers().get(0);
      if (first > 1) {
        window.commit(first - 1);
        reference.accept(first - 1);
      }
    }
    for (long seq : a.numbers()) {
      assertEquals(reference.accept(seq), arrive(window, seq), () -> "seq " + seq + " in " + a);
    }
  }

  @Property(tries = 200)
  void checkNeverChangesState(@ForAll("arrivals") Arrivals a) {
    ReplayWindow window = new ReplayWindow(a.size(), a.esn());
    for (long seq : a.numbers()) {
      boolean before = window.check(seq);
      long top = window.highest();
      window.check(seq);
      assertEquals(before, window.check(seq));
      assertEquals(top, window.highest());
    }
  }

  /** A worked table, window of 32 packets; each row is (arriving number, accepted?). */
  @Test
  void tableOfArrivals() {
    long[][] table = {
      {0, 0}, // RFC 4303 section 3.3.3: numbering starts at 1
      {1, 1}, {1, 0}, {2, 1}, {4, 1}, {3, 1}, {3, 0}, {40, 1}, // window is now 9..40
      {8, 0}, {9, 1}, {9, 0}, {10, 1}, {39, 1}, {38, 1}, {38, 0}, {40, 0}, {41, 1},
      {9, 0}, // now outside: 41 - 9 >= 32
      {11, 1}, // 41 - 11 = 30 < 32: still inside and unseen
      {11, 0}, {1000, 1}, {969, 1}, {968, 0}, {999, 1}, {1000, 0}, {1064, 1}, {1033, 1},
      {1032, 0}, {5000, 1}, {4969, 1}, {4969, 0}, {5001, 1}, {4970, 1}, {4970, 0},
    };
    ReplayWindow window = new ReplayWindow(32, false);
    for (int i = 0; i < table.length; i++) {
      long seq = table[i][0];
      boolean expected = table[i][1] == 1;
      assertEquals(expected, arrive(window, seq), "row " + i + ": seq " + seq);
    }
  }

  @Test
  void failedAuthenticationDoesNotMoveTheWindow() {
    ReplayWindow window = new ReplayWindow(64, false);
    window.commit(100);
    assertTrue(window.check(5000));
    // No commit for 5000 (its ICV failed): 50 is still inside the window.
    assertTrue(window.check(50));
    assertEquals(100, window.highest());
  }

  @Test
  void esnInferenceFollowsAppendixA2() {
    ReplayWindow window = new ReplayWindow(1024, true);
    long top = (5L << 32) | 10; // case B: the window straddles the boundary below 5 << 32
    window.commit(top);
    assertEquals((5L << 32) | 11, window.infer(11));
    assertEquals((4L << 32) | 0xFFFF_FFF0L, window.infer(0xFFFF_FFF0));
    window.commit((5L << 32) | 5000); // case A: the window lies inside block 5
    assertEquals((5L << 32) | 4000, window.infer(4000));
    assertEquals((6L << 32) | 100, window.infer(100)); // below the bottom: next block
  }

  @Test
  void esnInferenceNeverGoesBelowTheStart() {
    ReplayWindow window = new ReplayWindow(1024, true);
    assertEquals(0, window.infer(0xFFFF_FF00));
    assertFalse(window.check(window.infer(0xFFFF_FF00)));
    assertEquals(7, window.infer(7));
  }

  @Test
  void largeWindowsSlideByWholeBlocks() {
    ReplayWindow window = new ReplayWindow(ReplayWindow.MAX_SIZE, false);
    for (long seq = 1; seq <= 70_000; seq += 3) {
      assertTrue(arrive(window, seq));
    }
    assertFalse(window.check(70_000 - 3));
    assertTrue(window.check(70_000 - 2));
    assertFalse(window.check(70_000 - ReplayWindow.MAX_SIZE));
    assertFalse(window.check(70_000 - ReplayWindow.MAX_SIZE + 1)); // seen (1 mod 3)
    assertTrue(window.check(70_000 - ReplayWindow.MAX_SIZE + 2)); // unseen, inside
  }

  @Test
  void disabledWindowAcceptsRepeatsButNeverZero() {
    ReplayWindow window = new ReplayWindow(0, false);
    assertTrue(arrive(window, 5));
    assertTrue(arrive(window, 5));
    assertFalse(window.check(0));
  }

  @Test
  void refusesSizesOutsideTheRange() {
    assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(-1, false));
    assertThrows(
        IllegalArgumentException.class, () -> new ReplayWindow(ReplayWindow.MAX_SIZE + 1, true));
  }
}
