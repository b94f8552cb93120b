package dev.ferry.vpn.testing.netns;

import dev.ferry.vpn.core.net.IpPrefix;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One {@code children.<name>} section of a swanctl.conf connection: a tunnel-mode ESP CHILD SA
 * between two lists of subnets.
 *
 * @param name the child name, used by {@code swanctl --initiate --child} and {@code --rekey}
 * @param localTs subnets behind this gateway ({@code local_ts})
 * @param remoteTs subnets behind the peer ({@code remote_ts})
 * @param espProposals strongSwan ESP proposal string, e.g. {@code aes128gcm16} or
 *     {@code aes256-sha256-modp2048} (a key exchange method in it means PFS on rekeys)
 * @param startAction what charon does after loading ({@code start_action})
 * @param dpdAction what charon does when the peer stops answering ({@code dpd_action})
 * @param closeAction what charon does when the peer deletes the CHILD SA ({@code close_action})
 * @param rekeyTime when the CHILD SA is rekeyed ({@code rekey_time})
 * @param lifeTime hard expiry, must exceed {@code rekeyTime} ({@code life_time})
 */
public record SwanctlChild(
    String name,
    List<IpPrefix> localTs,
    List<IpPrefix> remoteTs,
    String espProposals,
    StartAction startAction,
    DpdAction dpdAction,
    CloseAction closeAction,
    Duration rekeyTime,
    Duration lifeTime) {

  /** {@code start_action}: none waits for a manual initiate, start initiates on load. */
  public enum StartAction {
    NONE, TRAP, START;

    String keyword() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** {@code dpd_action}. */
  public enum DpdAction {
    CLEAR, TRAP, RESTART;

    String keyword() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** {@code close_action}. */
  public enum CloseAction {
    NONE, CLEAR, TRAP, START;

    String keyword() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public SwanctlChild {
    SwanctlText.requireName(name, "child name");
    localTs = List.copyOf(localTs);
    remoteTs = List.copyOf(remoteTs);
    if (localTs.isEmpty() || remoteTs.isEmpty()) {
      throw new IllegalArgumentException(
          "child " + name + ": local_ts and remote_ts need at least one subnet each");
    }
    SwanctlText.requireProposal(espProposals, "child " + name + " esp_proposals");
    Objects.requireNonNull(startAction, "startAction");
    Objects.requireNonNull(dpdAction, "dpdAction");
    Objects.requireNonNull(closeAction, "closeAction");
    SwanctlText.requirePositiveSeconds(rekeyTime, "child " + name + " rekey_time");
    SwanctlText.requirePositiveSeconds(lifeTime, "child " + name + " life_time");
    if (lifeTime.compareTo(rekeyTime) <= 0) {
      throw new IllegalArgumentException("child " + name + ": life_time " + lifeTime
          + " must exceed rekey_time " + rekeyTime + " (strongSwan rekeys before expiry)");
    }
  }

  /**
   * A child with strongSwan's default timers (rekey after 1 h, expire after 66 min), no start
   * action, DPD action clear and no close action.
   */
  public static SwanctlChild tunnel(
      String name, IpPrefix localTs, IpPrefix remoteTs, String espProposals) {
    return new SwanctlChild(name, List.of(localTs), List.of(remoteTs), espProposals,
        StartAction.NONE, DpdAction.CLEAR, CloseAction.NONE,
        Duration.ofHours(1), Duration.ofMinutes(66));
  }

  public SwanctlChild withStartAction(StartAction action) {
    return new SwanctlChild(name, localTs, remoteTs, espProposals, action, dpdAction, closeAction,
        rekeyTime, lifeTime);
  }

  public SwanctlChild withDpdAction(DpdAction action) {
    return new SwanctlChild(name, localTs, remoteTs, espProposals, startAction, action, closeAction,
        rekeyTime, lifeTime);
  }

  public SwanctlChild withCloseAction(CloseAction action) {
    return new SwanctlChild(name, localTs, remoteTs, espProposals, startAction, dpdAction, action,
        rekeyTime, lifeTime);
  }

  public SwanctlChild withLifetimes(Duration rekey, Duration life) {
    return new SwanctlChild(name, localTs, remoteTs, espProposals, startAction, dpdAction,
        closeAction, rekey, life);
  }

  /** The section in swanctl.conf syntax, indented for nesting inside {@code children}. */
  String render(String indent) {
    return indent + name + " {\n"
        + indent + "  mode = tunnel\n"
        + indent + "  local_ts = " + SwanctlText.join(localTs) + "\n"
        + indent + "  remote_ts = " + SwanctlText.join(remoteTs) + "\n"
        + indent + "  esp_proposals = " + espProposals + "\n"
        + indent + "  start_action = " + startAction.keyword() + "\n"
        + indent + "  dpd_action = " + dpdAction.keyword() + "\n"
        + indent + "  close_action = " + closeAction.keyword() + "\n"
        + indent + "  rekey_time = " + rekeyTime.toSeconds() + "s\n"
        + indent + "  life_time = " + lifeTime.toSeconds() + "s\n"
        + indent + "}\n";
  }
}
