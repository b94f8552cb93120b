package dev.ferry.vpn.testing.netns;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Polling for lab state that changes asynchronously (SAs appearing, log lines, rekeys). Probes
 * every 100 ms; on timeout fails with an {@link AssertionError} that carries the expectation and
 * the evidence from the last probe, so the failure explains itself.
 */
public final class Await {
  private static final long POLL_MILLIS = 100;

  private Await() {}

  /**
   * Calls {@code probe} until it returns a value, and returns that value; after {@code timeout}
   * throws {@link AssertionError} with {@code expectation} and {@code evidence.get()}.
   */
  public static <T> T until(
      String expectation, Duration timeout, Supplier<Optional<T>> probe, Supplier<String> evidence) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "expected " + expectation + " within " + timeout + "\n" + evidence.get());
      }
      sleep(POLL_MILLIS);
    }
  }

  /**
   * Samples {@code state} until {@code done} accepts a sample, and returns that sample; the timeout
   * message shows the last sample through {@code describe}.
   */
  public static <S> S until(String expectation, Duration timeout, Supplier<S> state,
      java.util.function.Predicate<S> done, Function<S, String> describe) {
    Object[] last = new Object[1];
    return until(expectation, timeout, () -> {
      S sample = state.get();
      last[0] = sample;
      return done.test(sample) ? Optional.of(sample) : Optional.empty();
    }, () -> {
      @SuppressWarnings("unchecked")
      S sample = (S) last[0];
      return describe.apply(sample);
    });
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("interrupted while waiting", e);
    }
  }
}
