package dev.ferry.vpn.esp.replay;

/**
 * The anti-replay window of one inbound ESP SA (RFC 4303 section 3.4.3), kept as a ring of 64-bit
 * blocks in the style of RFC 6479: sliding the window forward clears whole blocks instead of
 * shifting bits, so the cost of a packet does not depend on the window size.
 *
 * <p>Acceptance rule (exact, for a window of {@code size} packets and the highest committed number
 * {@code top}): a number is accepted when it is above {@code top}, or when it is within {@code
 * size} of {@code top} ({@code top - seq < size}) and has not been committed. Number 0 is never
 * accepted: the sender's counter starts at 1 (RFC 4303 section 3.3.3).
 *
 * <p>Order of use (RFC 4303 section 3.4.3, "verify, authenticate, update"): {@link #infer} the full
 * number from the 32 bits on the wire, {@link #check} it before spending work on the ICV, and
 * {@link #commit} it only after the packet authenticated, so forged packets never move the window.
 *
 * <p>Extended sequence numbers (RFC 4303 section 2.2.1, RFC 4304): only the low 32 bits travel;
 * {@link #infer} recovers the high 32 bits from the window position as RFC 4303 Appendix A2
 * describes. With a size of 0 (replay protection disabled, as a {@code ChildSaSpec} allows) no
 * number is refused except 0, and ESN inference uses half the 32-bit space around the highest
 * number seen.
 *
 * <p>Not thread-safe and allocation-free: one worker owns an inbound SA and its window.
 */
public final class ReplayWindow {

  /** Window size used when nothing else is configured (strongSwan's default is 32; we go wide). */
  public static final int DEFAULT_SIZE = 1024;

  /** Largest configurable window: 1024 blocks of 64 bits, 8 KiB. */
  public static final int MAX_SIZE = 65536;

  private static final long LOW_MASK = 0xFFFF_FFFFL;

  private final int size;
  private final boolean extended;
  private final long[] blocks;
  private final int blockMask;
  /** Highest committed sequence number (64 bits when {@link #extended}); 0 before any. */
  private long top;

  /**
   * A window of {@code size} packets (0 disables replay checks, otherwise 1..{@link #MAX_SIZE}).
   *
   * @param extendedSequenceNumbers whether the SA negotiated ESN (64-bit numbers, 32 on the wire)
   */
  public ReplayWindow(int size, boolean extendedSequenceNumbers) {
    if (size < 0 || size > MAX_SIZE) {
      throw new IllegalArgumentException(
          "replay window size " + size + " must be in 0.." + MAX_SIZE + " packets");
    }
    this.size = size;
    this.extended = extendedSequenceNumbers;
    // RFC 6479 section 2: one block more than the window needs, so the block being filled never
    // overlaps the oldest block still inside the window; a power of two makes the ring index a mask.
    int needed = size == 0 ? 1 : (size + 63) / 64 + 1;
    this.blocks = new long[nextPowerOfTwo(needed)];
    this.blockMask = blocks.length - 1;
  }

  private static int nextPowerOfTwo(int n) {
    return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
  }

  /** The window size in packets; 0 when replay checks are off. */
  public int size() {
    return size;
  }

  public boolean extendedSequenceNumbers() {
    return extended;
  }

  /** The highest committed sequence number, 0 before the first commit. */
  public long highest() {
    return top;
  }

  /**
   * The full sequence number of a packet carrying {@code wireLow} (the 32-bit field). Without ESN
   * that is the field itself, unsigned. With ESN it applies RFC 4303 Appendix A2; a number that
   * would fall before the start of the sequence space comes back as 0, which {@link #check}
   * refuses. Changes nothing.
   */
  public long infer(int wireLow) {
    long seqLow = wireLow & LOW_MASK;
    if (!extended) {
      return seqLow;
    }
    long span = size == 0 ? 1L << 31 : size;
    long topLow = top & LOW_MASK;
    long topHigh = top >>> 32;
    long bottomLow = (topLow - span + 1) & LOW_MASK;
    long high;
    if (topLow >= span - 1) {
      // RFC 4303 A2.1 case A: the window lies inside one 2^32 block; a number below its bottom
      // can only be from the next block.
      high = seqLow >= bottomLow ? topHigh : topHigh + 1;
    } else {
      // Case B: the window straddles a block boundary; a number at or above its (wrapped) bottom
      // belongs to the previous block.
      if (seqLow >= bottomLow) {
        if (topHigh == 0) {
          return 0;
        }
        high = topHigh - 1;
      } else {
        high = topHigh;
      }
    }
    if (high > LOW_MASK) {
      return 0; // beyond 2^64: the sender must have rekeyed long before (RFC 4303 section 3.3.3)
    }
    return high << 32 | seqLow;
  }

  /**
   * True when a packet numbered {@code seq} may be processed: not 0, not older than the window and
   * not already committed. Changes nothing (RFC 4303 section 3.4.3: the check comes before the
   * ICV).
   */
  public boolean check(long seq) {
    if (seq == 0) {
      return false;
    }
    if (size == 0 || Long.compareUnsigned(seq, top) > 0) {
      return true;
    }
    if (top - seq >= size) {
      return false;
    }
    return (blocks[(int) (seq >>> 6) & blockMask] & (1L << seq)) == 0;
  }

  /**
   * Records {@code seq} as received, sliding the window forward when it is the new highest. Call
   * only after the packet authenticated and {@link #check} accepted it (RFC 4303 section 3.4.3:
   * the window is updated only for authentic packets).
   */
  public void commit(long seq) {
    if (Long.compareUnsigned(seq, top) > 0) {
      long topBlock = top >>> 6;
      long seqBlock = seq >>> 6;
      long clear = Math.min(seqBlock - topBlock, blocks.length);
      for (long i = 1; i <= clear; i++) {
        blocks[(int) (topBlock + i) & blockMask] = 0;
      }
      top = seq;
    }
    blocks[(int) (seq >>> 6) & blockMask] |= 1L << seq;
  }

  @Override
  public String toString() {
    return "ReplayWindow[size " + size + (extended ? ", ESN" : "") + ", highest " + top + "]";
  }
}
