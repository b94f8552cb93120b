package dev.ferry.vpn.testing.netns;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.net.IpFamily;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The lab itself: isolation, the veth link in both families, processes, Java inside, cleanup. */
class NetnsLabInteropTest {

  @Test
  void outerLinkWorksInBothFamiliesAndInnerSubnetsNeedATunnel() {
    try (NetnsLab lab = NetnsLab.open()) {
      for (IpFamily family : IpFamily.values()) {
        CommandResult outer = lab.ping(lab.a(), lab.a().outer(family), lab.b().outer(family), 1);
        assertTrue(outer.succeeded(), outer.describeFailure());
        CommandResult inner =
            lab.ping(lab.a(), lab.a().innerHost(family), lab.b().innerHost(family), 1);
        assertFalse(inner.succeeded(), family + " inner subnets must not be routed without tunnel");
      }
      CommandResult routes = lab.execChecked(lab.a(), Duration.ofSeconds(5), "ip", "route", "show");
      assertFalse(routes.stdout().contains("default"), "the lab has no default route");
    }
  }

  @Test
  void namespacesAndProcessesAreGoneAfterClose() {
    NetnsLab lab = NetnsLab.open();
    LabProcess sleeper = lab.start(lab.b(), "sleeper", Map.of(), List.of("sleep", "300"));
    assertTrue(sleeper.isAlive());
    lab.close();

    assertFalse(sleeper.isAlive(), "processes stop with the lab");
    String namespaces = Commands.run(List.of("ip", "netns", "list"), Duration.ofSeconds(5))
        .requireSuccess().stdout();
    assertFalse(namespaces.contains(lab.a().name()), namespaces);
    assertFalse(namespaces.contains(lab.b().name()), namespaces);
    assertFalse(java.nio.file.Files.exists(lab.workDir()), "work directory removed");
  }

  @Test
  void aJavaProcessStartedInANamespaceSeesOnlyThatNamespace() {
    try (NetnsLab lab = NetnsLab.open()) {
      LabProcess java = lab.start(lab.b(), "java-probe", Map.of(),
          NetnsLab.javaCommand(InterfaceLister.class.getName(), List.of()));
      java.awaitOutput("interfaces:", Duration.ofSeconds(30));
      String printed = java.output();
      assertTrue(printed.contains(lab.b().outerInterface()), printed);
      assertFalse(printed.contains(lab.a().outerInterface()), printed);
    }
  }

  /** Prints the network interfaces the JVM sees; run inside a namespace by the test above. */
  static final class InterfaceLister {
    private InterfaceLister() {}

    public static void main(String[] args) throws Exception {
      System.out.println("interfaces: " + NetworkInterface.networkInterfaces()
          .map(NetworkInterface::getName).sorted().collect(Collectors.joining(" ")));
    }
  }
}
