package dev.ferry.vpn.core.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {

  @Test
  void advance_runsDueTasksInDueOrderAndSetsClockToEachDueTime() {
    ManualScheduler scheduler = new ManualScheduler(Instant.EPOCH);
    List<String> ran = new ArrayList<>();
    scheduler.schedule(Duration.ofSeconds(3), () -> ran.add("3s@" + scheduler.instant()));
    scheduler.schedule(Duration.ofSeconds(1), () -> ran.add("1s@" + scheduler.instant()));
    scheduler.schedule(Duration.ofSeconds(5), () -> ran.add("5s"));

    scheduler.advance(Duration.ofSeconds(4));

    assertEquals(List.of("1s@1970-01-01T00:00:01Z", "3s@1970-01-01T00:00:03Z"), ran);
    assertEquals(Instant.EPOCH.plusSeconds(4), scheduler.instant());
    assertEquals(1, scheduler.pendingTasks());
    assertEquals(Duration.ofSeconds(1), scheduler.untilNextTask().orElseThrow());
  }

  @Test
  void cancel_preventsRunAndTasksScheduledByTasksRunInTheSameAdvance() {
    ManualScheduler scheduler = new ManualScheduler(Instant.EPOCH);
    List<String> ran = new ArrayList<>();
    Scheduler.Cancellable cancelled = scheduler.schedule(Duration.ofSeconds(1), () -> ran.add("x"));
    scheduler.schedule(Duration.ofSeconds(1),
        () -> scheduler.schedule(Duration.ofSeconds(1), () -> ran.add("chained")));
    cancelled.cancel();

    scheduler.advance(Duration.ofSeconds(2));

    assertEquals(List.of("chained"), ran);
    assertEquals(0, scheduler.pendingTasks());
  }

  @Test
  void negativeDelaysAndBackwardMovesAreRejected() {
    ManualScheduler scheduler = new ManualScheduler();
    assertThrows(IllegalArgumentException.class,
        () -> scheduler.schedule(Duration.ofSeconds(-1), () -> { }));
    assertThrows(IllegalArgumentException.class, () -> scheduler.advance(Duration.ofMillis(-1)));
  }

  @Property
  void tasksRunSortedByDueTimeThenSchedulingOrder(
      @ForAll @Size(max = 30) List<@IntRange(max = 100) Integer> delays) {
    ManualScheduler scheduler = new ManualScheduler(Instant.EPOCH);
    List<long[]> ran = new ArrayList<>();
    for (int i = 0; i < delays.size(); i++) {
      long index = i;
      scheduler.schedule(Duration.ofMillis(delays.get(i)),
          () -> ran.add(new long[] {scheduler.instant().toEpochMilli(), index}));
    }
    scheduler.advance(Duration.ofMillis(100));
    assertEquals(delays.size(), ran.size());
    for (int i = 1; i < ran.size(); i++) {
      long[] a = ran.get(i - 1);
      long[] b = ran.get(i);
      boolean ordered = a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]);
      assertEquals(true, ordered, "task order at " + i);
    }
    for (long[] r : ran) {
      assertEquals((long) delays.get((int) r[1]), r[0], "ran at its due time");
    }
  }
}
