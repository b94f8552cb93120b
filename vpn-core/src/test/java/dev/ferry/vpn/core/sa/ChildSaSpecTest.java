package dev.ferry.vpn.core.sa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.Protocol;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChildSaSpecTest {

  @Test
  void toString_showsSpisAndSelectorsButNoKeyBytes() {
    ChildSaSpec sa = ChildSaFixtures.gcm(0xc1a2b3c4, 0x01020304);
    String text = sa.toString();
    assertTrue(text.contains("in c1a2b3c4"), text);
    assertTrue(text.contains("out 01020304"), text);
    assertTrue(text.contains("10.0.0.0/24"), text);
    assertFalse(sa.inboundKeys().toString().contains("0, 0"), sa.inboundKeys().toString());
    assertFalse(sa.extendedSequenceNumbers());
    assertFalse(sa.perfectForwardSecrecy());
  }

  @Test
  void rejectsReservedSpiZero() {
    ChildSaSpec ok = ChildSaFixtures.gcm(1000, 2000);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ChildSaSpec(ok.connection(), 0, 2000, ok.proposal(), ok.inboundKeys(),
            ok.outboundKeys(), ok.localSelectors(), ok.remoteSelectors(),
            ok.localTunnelEndpoint(), ok.remoteTunnelEndpoint(), true, ok.lifetime(), 0));
    assertTrue(e.getMessage().contains("RFC 4303"), e.getMessage());
  }

  @Test
  void rejectsProposalWithAlternativesAndKeysThatDoNotFitTheCipher() {
    ChildSaSpec ok = ChildSaFixtures.gcm(1000, 2000);
    assertThrows(IllegalArgumentException.class,
        () -> new ChildSaSpec(ok.connection(), 1000, 2000,
            Proposal.parse("aes128gcm16-aes256gcm16", Protocol.ESP), ok.inboundKeys(),
            ok.outboundKeys(), ok.localSelectors(), ok.remoteSelectors(),
            ok.localTunnelEndpoint(), ok.remoteTunnelEndpoint(), true, ok.lifetime(), 0));
    ChildSaKeys classic = new ChildSaKeys(Secret.of(new byte[16]), Secret.of(new byte[0]),
        Secret.of(new byte[32]));
    assertThrows(IllegalArgumentException.class,
        () -> new ChildSaSpec(ok.connection(), 1000, 2000, ok.proposal(), classic,
            ok.outboundKeys(), ok.localSelectors(), ok.remoteSelectors(),
            ok.localTunnelEndpoint(), ok.remoteTunnelEndpoint(), true, ok.lifetime(), 0));
  }

  @Test
  void lifetime_softMustNotExceedHard() {
    assertThrows(IllegalArgumentException.class,
        () -> new SaLifetime(Duration.ofHours(2), Duration.ofHours(1), 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new SaLifetime(Duration.ofHours(1), Duration.ofHours(1), 10, 5, 0, 0));
    SaLifetime t = SaLifetime.ofTime(Duration.ofHours(1), Duration.ofMinutes(9));
    assertEquals(Duration.ofMinutes(51), t.softTime());
  }
}
