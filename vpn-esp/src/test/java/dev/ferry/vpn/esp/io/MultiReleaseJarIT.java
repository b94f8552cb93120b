package dev.ferry.vpn.esp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * Checks the packaged vpn-esp jar (failsafe puts the jar, not target/classes, on the class path):
 * a multi-release manifest, Java 21 base classes, release-22 classes under
 * {@code META-INF/versions/22}, and that this JDK 25 JVM loads the versioned {@link LinuxTun}.
 */
class MultiReleaseJarIT {

  private static final String LINUX_TUN = "dev/ferry/vpn/esp/io/LinuxTun.class";
  private static final String LINUX_UDP_SOCKET = "dev/ferry/vpn/esp/io/LinuxUdpSocket.class";

  private static Path jar() throws Exception {
    Path location =
        Path.of(LinuxTun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    // A -Dtest pattern can make surefire run this class too, against target/classes.
    assumeTrue(location.toString().endsWith(".jar"),
        "checks the packaged jar, which failsafe (mvn verify) puts on the class path; here vpn-esp"
            + " comes from " + location);
    return location;
  }

  /**
   * The JDK's own check: every public class in versions/22 has exactly the public API of its base
   * class (JEP 238), so code compiled against the Java 21 view links against the JDK 22 classes.
   */
  @Test
  void theJarToolValidatesTheVersionedPublicApi() throws Exception {
    Path jar = jar();
    var tool = java.util.spi.ToolProvider.findFirst("jar").orElseThrow();
    var out = new java.io.StringWriter();
    int status = tool.run(new java.io.PrintWriter(out), new java.io.PrintWriter(out),
        "--validate", "--file", jar.toString());
    assertEquals(0, status, "jar --validate: " + out);
  }

  @Test
  void manifestAndLayoutMakeAMultiReleaseJar() throws Exception {
    Path jar = jar();
    // Opened without a runtime version, the jar shows its raw entries.
    try (JarFile file = new JarFile(jar.toFile(), true, ZipFile.OPEN_READ, JarFile.baseVersion())) {
      assertEquals("true", file.getManifest().getMainAttributes().getValue("Multi-Release"));
      assertEquals(65, major(file, LINUX_TUN), "base LinuxTun is Java 21");
      assertEquals(66, major(file, "META-INF/versions/22/" + LINUX_TUN), "versioned LinuxTun");
      List<JarEntry> classes = file.stream().filter(e -> e.getName().endsWith(".class")).toList();
      for (JarEntry entry : classes) {
        String name = entry.getName();
        if (name.startsWith("META-INF/versions/")) {
          int release = Integer.parseInt(name.split("/")[2]);
          assertEquals(release + 44, major(file, name), name + " matches its release directory");
          String base = name.substring(name.indexOf('/', "META-INF/versions/".length()) + 1);
          boolean isPublicApi = base.equals(LINUX_TUN) || base.equals(LINUX_UDP_SOCKET);
          // Only LinuxTun and LinuxUdpSocket are public API; the FFM helpers exist only in
          // versions/22 and are package-private, which the multi-release rules allow.
          assertEquals(isPublicApi, file.getEntry(base) != null, base + " has a base class");
        } else {
          assertTrue(major(file, name) <= 65, name + " loads on Java 21");
        }
      }
      assertTrue(classes.stream().anyMatch(e -> e.getName().endsWith("versions/22/"
          + "dev/ferry/vpn/esp/io/LinuxTunQueue.class")));
    }
  }

  @Test
  void thisJvmRunsTheVersionedClass() throws Exception {
    jar();
    try (InputStream in = LinuxTun.class.getResourceAsStream("LinuxTun.class")) {
      DataInputStream data = new DataInputStream(in);
      data.readInt();
      data.readUnsignedShort();
      assertEquals(66, data.readUnsignedShort(), "JDK 25 resolves LinuxTun to versions/22");
    }
    // The JDK 22 class validates and tries for real; it never gives the "needs JDK 22" refusal.
    TunConfig lo = TunConfig.of("lo", 1400);
    TunException e = assertThrows(TunException.class, () -> LinuxTun.open(lo).close());
    assertFalse(e.getMessage().contains("needs JDK 22"), e.getMessage());
  }

  private static int major(JarFile file, String entry) throws IOException {
    try (InputStream in = file.getInputStream(file.getEntry(entry))) {
      DataInputStream data = new DataInputStream(in);
      data.readInt();
      data.readUnsignedShort();
      return data.readUnsignedShort();
    }
  }
}
