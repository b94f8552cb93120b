package dev.ferry.vpn.testing.netns;

import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.net.IpAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One IKEv2 connection with pre-shared-key authentication, rendered as a {@code connections.<name>}
 * section plus the matching {@code secrets.ike-<name>} entry of swanctl.conf.
 *
 * <p>{@link #toString()} shows the PSK only as {@link Secret#toString()} does (its length); the
 * key itself appears only in the rendered file, which {@link StrongSwanInstance} writes with
 * owner-only permissions.
 *
 * @param name the connection name ({@code swanctl --rekey --ike NAME}, IKE SA name in listings)
 * @param localAddress this gateway's outer address ({@code local_addrs})
 * @param remoteAddress the peer's outer address, or empty to accept any ({@code %any}, responder)
 * @param localId this gateway's identity in strongSwan syntax (FQDN, IP, {@code @keyid}, DN)
 * @param remoteId the identity the peer must present
 * @param psk the pre-shared key both identities share
 * @param ikeProposals strongSwan IKE proposal string, e.g. {@code aes128gcm16-prfsha256-ecp256}
 * @param rekeyTime when the IKE SA is rekeyed ({@code rekey_time})
 * @param dpdDelay liveness check interval, or zero for none ({@code dpd_delay})
 * @param keyingTries attempts before giving up an initiation, 0 for forever ({@code keyingtries})
 * @param children the CHILD SAs of this connection, at least one
 */
public record SwanctlConnection(
    String name,
    IpAddress localAddress,
    Optional<IpAddress> remoteAddress,
    String localId,
    String remoteId,
    Secret psk,
    String ikeProposals,
    Duration rekeyTime,
    Duration dpdDelay,
    int keyingTries,
    List<SwanctlChild> children) {

  public SwanctlConnection {
    SwanctlText.requireName(name, "connection name");
    Objects.requireNonNull(localAddress, "localAddress");
    Objects.requireNonNull(remoteAddress, "remoteAddress");
    requireId(localId, "localId");
    requireId(remoteId, "remoteId");
    Objects.requireNonNull(psk, "psk");
    if (psk.isEmpty()) {
      throw new IllegalArgumentException("connection " + name + ": the PSK is empty");
    }
    SwanctlText.requireProposal(ikeProposals, "connection " + name + " proposals");
    SwanctlText.requirePositiveSeconds(rekeyTime, "connection " + name + " rekey_time");
    if (dpdDelay == null || dpdDelay.isNegative()) {
      throw new IllegalArgumentException("connection " + name + ": dpd_delay must be >= 0");
    }
    if (keyingTries < 0) {
      throw new IllegalArgumentException("connection " + name + ": keyingtries must be >= 0");
    }
    children = List.copyOf(children);
    if (children.isEmpty()) {
      throw new IllegalArgumentException("connection " + name + " needs at least one child");
    }
    if (children.stream().map(SwanctlChild::name).distinct().count() != children.size()) {
      throw new IllegalArgumentException("connection " + name + " has duplicate child names");
    }
  }

  /**
   * A PSK connection to a known peer with strongSwan's default IKE timers (rekey after 4 h), no
   * DPD and a single keying try (so a failed initiation fails fast in tests).
   */
  public static SwanctlConnection psk(
      String name,
      IpAddress localAddress,
      IpAddress remoteAddress,
      String localId,
      String remoteId,
      Secret psk,
      String ikeProposals,
      SwanctlChild child) {
    return new SwanctlConnection(name, localAddress, Optional.of(remoteAddress), localId,
        remoteId, psk, ikeProposals, Duration.ofHours(4), Duration.ZERO, 1, List.of(child));
  }

  public SwanctlConnection withPsk(Secret newPsk) {
    return new SwanctlConnection(name, localAddress, remoteAddress, localId, remoteId, newPsk,
        ikeProposals, rekeyTime, dpdDelay, keyingTries, children);
  }

  public SwanctlConnection withAnyRemote() {
    return new SwanctlConnection(name, localAddress, Optional.empty(), localId, remoteId, psk,
        ikeProposals, rekeyTime, dpdDelay, keyingTries, children);
  }

  public SwanctlConnection withRekeyTime(Duration ikeRekeyTime) {
    return new SwanctlConnection(name, localAddress, remoteAddress, localId, remoteId, psk,
        ikeProposals, ikeRekeyTime, dpdDelay, keyingTries, children);
  }

  public SwanctlConnection withDpdDelay(Duration delay) {
    return new SwanctlConnection(name, localAddress, remoteAddress, localId, remoteId, psk,
        ikeProposals, rekeyTime, delay, keyingTries, children);
  }

  public SwanctlConnection withKeyingTries(int tries) {
    return new SwanctlConnection(name, localAddress, remoteAddress, localId, remoteId, psk,
        ikeProposals, rekeyTime, dpdDelay, tries, children);
  }

  public SwanctlConnection withChildren(List<SwanctlChild> newChildren) {
    return new SwanctlConnection(name, localAddress, remoteAddress, localId, remoteId, psk,
        ikeProposals, rekeyTime, dpdDelay, keyingTries, newChildren);
  }

  /** The {@code connections.<name>} section (no secret in it). */
  String renderConnection(String indent) {
    StringBuilder out = new StringBuilder();
    out.append(indent).append(name).append(" {\n");
    String in = indent + "  ";
    out.append(in).append("version = 2\n");
    out.append(in).append("local_addrs = ").append(localAddress).append('\n');
    out.append(in).append("remote_addrs = ")
        .append(remoteAddress.map(IpAddress::toString).orElse("%any")).append('\n');
    out.append(in).append("proposals = ").append(ikeProposals).append('\n');
    out.append(in).append("rekey_time = ").append(rekeyTime.toSeconds()).append("s\n");
    out.append(in).append("dpd_delay = ").append(dpdDelay.toSeconds()).append("s\n");
    out.append(in).append("keyingtries = ").append(keyingTries).append('\n');
    out.append(in).append("local {\n");
    out.append(in).append("  auth = psk\n");
    out.append(in).append("  id = ").append(SwanctlText.quote(localId)).append('\n');
    out.append(in).append("}\n");
    out.append(in).append("remote {\n");
    out.append(in).append("  auth = psk\n");
    out.append(in).append("  id = ").append(SwanctlText.quote(remoteId)).append('\n');
    out.append(in).append("}\n");
    out.append(in).append("children {\n");
    for (SwanctlChild child : children) {
      out.append(child.render(in + "  "));
    }
    out.append(in).append("}\n");
    out.append(indent).append("}\n");
    return out.toString();
  }

  /**
   * The {@code secrets.ike-<name>} section. The key is written in hex ({@code 0x...}) so that any
   * byte sequence survives strongswan.conf parsing unchanged.
   */
  String renderSecret(String indent) {
    byte[] key = psk.reveal();
    try {
      return indent + "ike-" + name + " {\n"
          + indent + "  id-local = " + SwanctlText.quote(localId) + "\n"
          + indent + "  id-remote = " + SwanctlText.quote(remoteId) + "\n"
          + indent + "  secret = 0x" + HexFormat.of().formatHex(key) + "\n"
          + indent + "}\n";
    } finally {
      java.util.Arrays.fill(key, (byte) 0);
    }
  }

  private static void requireId(String id, String what) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
  }
}
