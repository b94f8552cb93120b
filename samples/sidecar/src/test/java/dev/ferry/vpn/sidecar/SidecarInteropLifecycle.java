package dev.ferry.vpn.sidecar;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * One {@link SidecarLab} per interop test class (namespaces and charon are started once, which
 * keeps the ITs short); each test starts its own sidecar, and after each test the sidecar is
 * stopped and strongSwan is left without SAs.
 */
abstract class SidecarInteropLifecycle {
  static SidecarLab lab;

  @BeforeAll
  static void openLab() {
    lab = SidecarLab.open();
  }

  @AfterAll
  static void closeLab() {
    if (lab != null) {
      lab.close();
      lab = null;
    }
  }

  @AfterEach
  void stopSidecar() {
    lab.stopSidecar();
  }
}
