package dev.ferry.vpn.core.config;

import dev.ferry.vpn.core.crypto.Secret;

import dev.ferry.vpn.core.nat.PortRange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigValuesTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "%any | ANY | %any",
    "ibm-cloud | FQDN | ibm-cloud",
    "@vpn.example.com | FQDN | vpn.example.com",
    "203.0.113.5 | IPV4_ADDR | 203.0.113.5",
    "2001:DB8::1 | IPV6_ADDR | 2001:db8::1",
    "ops@example.com | RFC822_ADDR | ops@example.com",
    "@@ops | RFC822_ADDR | ops",
    "'C=CH,O=strongSwan ,  CN=moon' | DER_ASN1_DN | 'C=CH, O=strongSwan, CN=moon'",
    "keyid:#0a1b | KEY_ID | #0a1b",
    "@#0a1b | KEY_ID | #0a1b",
    "%nodePublicIP | NODE_PUBLIC_IP | %nodePublicIP",
    "%loadBalancerIP | LOAD_BALANCER_IP | %loadBalancerIP",
  })
  void identities(String text, Identity.Kind kind, String value) {
    Identity id = Identity.parse(text);
    assertEquals(kind, id.kind());
    assertEquals(value, id.value());
    assertEquals(id, Identity.parse(id.toString()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "%publicIP", "C=CH, O", "=x", "keyid:#abc", "on prem", "@"})
  void badIdentities(String text) {
    assertThrows(IllegalArgumentException.class, () -> Identity.parse(text));
  }

  @ParameterizedTest
  @CsvSource({"15s, 15", "2.5m, 150", "3h, 10800", "1d, 86400", "90, 90", "0.5h, 1800"})
  void strongSwanTimes(String text, long seconds) {
    assertEquals(Duration.ofSeconds(seconds), StrongSwanTime.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "3w", "h", "-1h", "1.2.3m", "1e3"})
  void badTimes(String text) {
    assertThrows(IllegalArgumentException.class, () -> StrongSwanTime.parse(text));
  }

  @Test
  void timeFormatIsShortestExact() {
    assertEquals("3h", StrongSwanTime.format(Duration.ofHours(3)));
    assertEquals("9m", StrongSwanTime.format(Duration.ofMinutes(9)));
    assertEquals("150s", StrongSwanTime.format(Duration.ofSeconds(150)));
  }

  @Test
  void gateways() {
    assertFalse(RemoteGateway.parse("%any").isConcrete());
    assertEquals("vpn.example.com", RemoteGateway.parse("VPN.example.com").toString());
    assertTrue(RemoteGateway.parse("2001:db8::7") instanceof RemoteGateway.Address);
    assertThrows(IllegalArgumentException.class, () -> RemoteGateway.parse("1.2.3.999"));
    assertThrows(IllegalArgumentException.class, () -> RemoteGateway.parse("-bad-.example"));
  }

  @Test
  void secretsCompareWithoutShowingContent() {
    Secret a = Secret.ofUtf8("hunter2-but-longer");
    assertEquals(a, Secret.ofUtf8("hunter2-but-longer"));
    assertNotEquals(a, Secret.ofUtf8("hunter3-but-longer"));
    assertEquals("Secret[redacted, 18 bytes]", a.toString());
    byte[] revealed = a.reveal();
    revealed[0] = 0;
    assertTrue(a.matchesUtf8("hunter2-but-longer"), "reveal() hands out a copy");
  }

  @Test
  void smallValues() {
    assertEquals(new PortRange(1024, 65535), PortRange.parse("1024-65535"));
    assertEquals(1, PortRange.parse("4500").size());
    assertThrows(IllegalArgumentException.class, () -> PortRange.parse("2000-1000"));
    assertEquals(KeyingTries.FOREVER, KeyingTries.parse("%forever"));
    assertEquals("%forever", KeyingTries.parse("0").toString());
    assertThrows(IllegalArgumentException.class, () -> KeyingTries.parse("many"));
  }

  @Test
  void builderChecksGuardProgrammaticUse() {
    assertThrows(IllegalStateException.class,
        () -> ImmutableFerrySettings.builder().tunnelDevice("has space").build());
    assertThrows(IllegalStateException.class,
        () -> ImmutableIkeSettings.builder().marginTime(Duration.ofHours(2)).build());
    assertEquals(1400, ImmutableFerrySettings.builder().build().mtu());
  }
}
