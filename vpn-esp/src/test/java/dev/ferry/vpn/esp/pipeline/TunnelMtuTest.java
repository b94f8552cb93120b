package dev.ferry.vpn.esp.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.Protocol;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The numbers quoted in {@link TunnelMtu}'s documentation, worked out by hand. */
class TunnelMtuTest {

  @ParameterizedTest
  @CsvSource({
      // suite, outer family, outer MTU, TUN MTU
      // 1500 - 20 - 8 - 8 (SPI, seq) - 8 (IV) - 16 (ICV) = 1440, a multiple of 4, - 2 = 1438
      "aes128gcm16, IPV4, 1500, 1438",
      "chacha20poly1305, IPV4, 1500, 1438",
      "aes256gcm12, IPV4, 1500, 1442",
      "aes128gcm8, IPV4, 1500, 1446",
      "aes128gcm16, IPV6, 1500, 1418",
      // 1500 - 20 - 8 - 8 - 16 (IV) - 16 (ICV) = 1432, down to 1424 (16-octet blocks), - 2
      "aes128-sha256, IPV4, 1500, 1422",
      "aes128-sha256, IPV6, 1500, 1406",
      "aes256-sha512, IPV4, 1500, 1406",
      "aes128-sha1, IPV4, 1500, 1422",
      // 1500 - 20 - 8 - 8 - 8 (IV) - 12 (ICV) = 1444, down to 1440 (8-octet blocks), - 2
      "3des-sha1, IPV4, 1500, 1438",
      "aes128gcm16, IPV4, 9000, 8938",
  })
  void tunMtuPerSuite(String suite, IpFamily family, int outerMtu, int expected) {
    assertEquals(expected, TunnelMtu.tunMtu(outerMtu, family,
        Proposal.parse(suite + "-noesn", Protocol.ESP)));
  }

  @Test
  void refusesOuterMtusThatLeaveTooLittle() {
    Proposal suite = Proposal.parse("aes256-sha512-noesn", Protocol.ESP);
    assertThrows(IllegalArgumentException.class,
        () -> TunnelMtu.tunMtu(150, IpFamily.IPV6, suite));
  }
}
