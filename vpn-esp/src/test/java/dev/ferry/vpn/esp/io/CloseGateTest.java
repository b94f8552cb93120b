package dev.ferry.vpn.esp.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CloseGateTest {

  @Test
  void closeRefusesNewCallsAndWaitsForCallsInFlight() throws Exception {
    CloseGate gate = new CloseGate();
    assertTrue(gate.enter());
    assertTrue(gate.close());
    assertFalse(gate.close(), "only the first close counts");
    assertFalse(gate.enter(), "no new calls after close");
    assertFalse(gate.awaitIdle(TimeUnit.MILLISECONDS.toNanos(20)), "one call still in flight");
    Thread leaver = new Thread(() -> {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      gate.exit();
    });
    leaver.start();
    assertTrue(gate.awaitIdle(TimeUnit.SECONDS.toNanos(5)));
    leaver.join();
    assertTrue(gate.isClosed());
  }
}
