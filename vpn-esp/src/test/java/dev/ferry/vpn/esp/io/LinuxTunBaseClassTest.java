package dev.ferry.vpn.esp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Unit tests load vpn-esp from its classes directory, which has no multi-release view: they see
 * the Java 21 base class of {@link LinuxTun}, the one a Java 21 JVM runs.
 */
class LinuxTunBaseClassTest {

  @Test
  void theBaseClassIsJava21AndRefusesWithATypedError() throws Exception {
    Path location = Path.of(LinuxTun.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI());
    assertTrue(Files.isDirectory(location), "unit tests run from target/classes: " + location);
    try (InputStream in = LinuxTun.class.getResourceAsStream("LinuxTun.class")) {
      DataInputStream data = new DataInputStream(in);
      data.readInt(); // magic
      data.readUnsignedShort(); // minor
      assertEquals(65, data.readUnsignedShort(), "base class file major version (Java 21)");
    }
    TunUnavailableException e = assertThrows(TunUnavailableException.class,
        () -> LinuxTun.open(TunConfig.of("tun0", 1400)));
    assertTrue(e.getMessage().startsWith("the Linux TUN backend needs JDK 22 or newer; this JVM is "
        + Runtime.version().feature()), e.getMessage());
    assertTrue(e.getMessage().contains("multi-release jar"), e.getMessage());
    assertEquals(0, e.errno());
    Path versioned = location.resolve("META-INF/versions/22/dev/ferry/vpn/esp/io/LinuxTun.class");
    assertTrue(Files.isRegularFile(versioned), "the JDK 22 class sits beside it: " + versioned);
  }
}
