package dev.ferry.vpn.ike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IkeSaStateTest {

  @Test
  void normalLifecycleIsAllowed_shortcutsAreNot() {
    assertTrue(IkeSaState.CREATED.canMoveTo(IkeSaState.CONNECTING));
    assertTrue(IkeSaState.CONNECTING.canMoveTo(IkeSaState.ESTABLISHED));
    assertTrue(IkeSaState.REKEYING.canMoveTo(IkeSaState.ESTABLISHED));
    assertFalse(IkeSaState.CREATED.canMoveTo(IkeSaState.ESTABLISHED));
    assertFalse(IkeSaState.DEAD.canMoveTo(IkeSaState.CREATED));
    assertFalse(IkeSaState.REKEYED.canMoveTo(IkeSaState.ESTABLISHED));
  }

  @Test
  void everyStateReachesDeadAndNothingLeavesDead() {
    for (IkeSaState start : IkeSaState.values()) {
      Set<IkeSaState> seen = EnumSet.of(start);
      ArrayDeque<IkeSaState> todo = new ArrayDeque<>(seen);
      while (!todo.isEmpty()) {
        for (IkeSaState n : todo.poll().successors()) {
          if (seen.add(n)) {
            todo.add(n);
          }
        }
      }
      assertTrue(seen.contains(IkeSaState.DEAD), start + " reaches DEAD");
      assertFalse(start != IkeSaState.CREATED && seen.contains(IkeSaState.CREATED),
          start + " never returns to CREATED");
    }
    assertEquals(Set.of(), IkeSaState.DEAD.successors());
  }
}
