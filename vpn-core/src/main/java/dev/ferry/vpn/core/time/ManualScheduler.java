package dev.ferry.vpn.core.time;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} and {@link InstantSource} whose clock moves only when told: {@link
 * #advance} runs every task that falls due, in due-time order (ties in scheduling order), in the
 * calling thread. Tasks may schedule further tasks; those run within the same call when they fall
 * due before its end. Not thread-safe: tests drive it from one thread.
 */
public final class ManualScheduler implements Scheduler, InstantSource {
  private final PriorityQueue<Entry> queue = new PriorityQueue<>();
  private Instant now;
  private long sequence;

  /** Starts the clock at {@code start}. */
  public ManualScheduler(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  /** Starts the clock at 2026-01-01T00:00:00Z. */
  public ManualScheduler() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    Objects.requireNonNull(task, "task");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay " + delay + " is negative");
    }
    Entry entry = new Entry(now.plus(delay), sequence++, task);
    queue.add(entry);
    return () -> entry.cancelled = true;
  }

  /** Moves the clock forward by {@code duration}, running every task that falls due on the way. */
  public void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("cannot move the clock back by " + duration);
    }
    Instant end = now.plus(duration);
    for (Entry next = queue.peek(); next != null && !next.due.isAfter(end); next = queue.peek()) {
      queue.poll();
      now = next.due;
      if (!next.cancelled) {
        next.task.run();
      }
    }
    now = end;
  }

  /** Runs the tasks due now (those scheduled with a zero delay), without moving the clock. */
  public void runDueTasks() {
    advance(Duration.ZERO);
  }

  /** Number of scheduled tasks that have neither run nor been cancelled. */
  public int pendingTasks() {
    return (int) queue.stream().filter(e -> !e.cancelled).count();
  }

  /** Time until the next pending task is due, if there is one. */
  public java.util.Optional<Duration> untilNextTask() {
    return queue.stream()
        .filter(e -> !e.cancelled)
        .min(Entry::compareTo)
        .map(e -> Duration.between(now, e.due));
  }

  private static final class Entry implements Comparable<Entry> {
    final Instant due;
    final long order;
    final Runnable task;
    boolean cancelled;

    Entry(Instant due, long order, Runnable task) {
      this.due = due;
      this.order = order;
      this.task = task;
    }

    @Override
    public int compareTo(Entry other) {
      int c = due.compareTo(other.due);
      return c != 0 ? c : Long.compare(order, other.order);
    }
  }
}
