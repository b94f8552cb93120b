package dev.ferry.vpn.esp.io;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets I/O calls run on a file descriptor until it is closed, and lets the closer wait until the
 * calls in flight have left, so a descriptor number is never closed (and possibly reused by an
 * unrelated open) under a thread that is about to use it. Two atomic operations per call, no lock.
 */
final class CloseGate {

  private static final int CLOSED = 0x8000_0000;

  private final AtomicInteger state = new AtomicInteger();

  /** Registers a call in flight; false (and nothing registered) once closed. */
  boolean enter() {
    int s;
    do {
      s = state.get();
      if ((s & CLOSED) != 0) {
        return false;
      }
    } while (!state.compareAndSet(s, s + 1));
    return true;
  }

  /** Ends a call registered by a successful {@link #enter}. */
  void exit() {
    state.decrementAndGet();
  }

  /** Refuses new calls; true only for the first close. */
  boolean close() {
    int s;
    do {
      s = state.get();
      if ((s & CLOSED) != 0) {
        return false;
      }
    } while (!state.compareAndSet(s, s | CLOSED));
    return true;
  }

  boolean isClosed() {
    return (state.get() & CLOSED) != 0;
  }

  /** Waits until no call is in flight or the timeout passes; true if idle. */
  boolean awaitIdle(long timeoutNanos) {
    long deadline = System.nanoTime() + timeoutNanos;
    while ((state.get() & ~CLOSED) != 0) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      LockSupport.parkNanos(50_000);
    }
    return true;
  }
}
