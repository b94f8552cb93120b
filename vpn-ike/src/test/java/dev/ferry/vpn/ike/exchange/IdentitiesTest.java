package dev.ferry.vpn.ike.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.config.Identity;
import dev.ferry.vpn.ike.message.IdPayload;
import dev.ferry.vpn.ike.message.IdType;
import dev.ferry.vpn.ike.message.PayloadType;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class IdentitiesTest {

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "192.0.2.1; 1; 192.0.2.2",
      "2001:db8::1; 5; 2001:db8::2",
      "vpn.example.com; 2; other.example.com",
      "user@example.com; 3; other@example.com",
      "keyid:#0a0b0c; 11; keyid:#0a0b0d",
      "keyid:gateway-7; 11; keyid:gateway-8",
      "C=CH, O=Example, CN=gw; 9; C=CH, O=Example, CN=other"})
  void everyIdentityTypeRoundTripsAndMatchesOnlyItself(String text, int idType, String other) {
    Identity identity = Identity.parse(text);
    IdPayload payload = Identities.toPayload(PayloadType.IDI, identity);
    assertEquals(IdType.valueOf(idType), payload.idType());
    assertTrue(Identities.matches(identity, payload));
    assertTrue(Identities.matches(Identity.ANY, payload));
    assertFalse(Identities.matches(Identity.parse(other), payload));
  }

  @Test
  void fqdnComparisonIgnoresCase_andDistinguishedNamesKeepTheWrittenRdnOrder() {
    IdPayload upper = Identities.toPayload(PayloadType.IDR, Identity.parse("VPN.Example.com"));
    assertTrue(Identities.matches(Identity.parse("vpn.example.com"), upper));
    IdPayload dn = Identities.toPayload(PayloadType.IDR, Identity.parse("C=CH, O=Example, CN=gw"));
    // RFC 2253 prints the last RDN of the DER sequence first, so C=CH came first on the wire.
    assertEquals("CN=gw,O=Example,C=CH",
        new X500Principal(dn.data().toByteArray()).getName(X500Principal.RFC2253));
    assertEquals("keyid:#0a0b0c", Identities.describe(
        Identities.toPayload(PayloadType.IDI, Identity.parse("keyid:#0a0b0c"))));
  }

  @Test
  void placeholdersCannotBeSent() {
    assertThrows(IllegalArgumentException.class,
        () -> Identities.toPayload(PayloadType.IDI, Identity.ANY));
  }
}
