package dev.ferry.vpn.core.sa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.vpn.core.sa.RecordingChildSaInstaller.Operation;
import dev.ferry.vpn.core.sa.RecordingChildSaInstaller.Operation.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordingChildSaInstallerTest {

  @Test
  void install_recordsInboundBeforeOutbound_andRekeyKeepsOldUntilRemoved() {
    RecordingChildSaInstaller installer = new RecordingChildSaInstaller();
    ChildSaSpec old = ChildSaFixtures.gcm(1000, 2000);
    ChildSaSpec rekeyed = ChildSaFixtures.gcm(1001, 2001);
    installer.install(old);
    installer.install(rekeyed);
    assertEquals(List.of(old, rekeyed), installer.installed());
    installer.remove(1000);

    assertEquals(List.of(
        new Operation(Kind.INSTALL_INBOUND, 1000), new Operation(Kind.INSTALL_OUTBOUND, 1000),
        new Operation(Kind.INSTALL_INBOUND, 1001), new Operation(Kind.INSTALL_OUTBOUND, 1001),
        new Operation(Kind.REMOVE, 1000)), installer.operations());
    assertEquals(List.of(rekeyed), installer.installed());
  }

  @Test
  void contractViolationsThrowAndChangeNothing() {
    RecordingChildSaInstaller installer = new RecordingChildSaInstaller();
    ChildSaSpec sa = ChildSaFixtures.gcm(1000, 2000);
    assertThrows(IllegalStateException.class, () -> installer.installOutbound(sa));
    assertThrows(IllegalStateException.class, () -> installer.remove(1000));
    assertThrows(IllegalStateException.class, () -> installer.counters(1000));
    assertEquals(List.of(), installer.operations());
    installer.installInbound(sa);
    assertThrows(IllegalStateException.class, () -> installer.installInbound(sa));
    assertEquals(1, installer.operations().size());
    assertEquals(ChildSaCounters.NONE, installer.counters(1000));
  }
}
