package dev.ferry.vpn.core.time;

import java.time.Duration;

/**
 * Runs a task once after a delay. Implementations decide the thread: {@link ExecutorScheduler}
 * uses a {@code ScheduledExecutorService}, {@link ManualScheduler} runs due tasks in the thread
 * that advances its clock.
 *
 * <p>Contract: a task never runs before its delay has passed on the scheduler's clock; tasks due
 * at the same instant run in the order they were scheduled; {@link Cancellable#cancel()} after the
 * task ran does nothing.
 */
public interface Scheduler {

  /** Schedules {@code task} to run once, {@code delay} (zero or positive) from now. */
  Cancellable schedule(Duration delay, Runnable task);

  /** A handle to a scheduled task. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task if it has not run yet; idempotent. */
    void cancel();
  }
}
