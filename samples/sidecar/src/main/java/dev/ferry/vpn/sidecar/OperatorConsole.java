package dev.ferry.vpn.sidecar;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.ike.IkeSaState;
import dev.ferry.vpn.sidecar.SidecarEndpoint.IkeSaStatus;
import dev.ferry.vpn.sidecar.SidecarEndpoint.Snapshot;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator console of {@code run}: one command per line on standard input, one answer line on
 * standard output, starting with {@code ok <command>} or {@code error <command>: <reason>}.
 *
 * <pre>
 * status                  ok status ike-sas=N child-sas=M[; ike ...][; child ...]
 * rekey-child [SPI]       CREATE_CHILD_SA rekey of the CHILD SA (our inbound SPI, hex)
 * rekey-ike [SPI]         rekey of the IKE SA (our IKE SPI, hex)
 * delete-child [SPI]      INFORMATIONAL DELETE of the CHILD SA
 * delete-ike [SPI]        INFORMATIONAL DELETE of the IKE SA and its CHILD SAs
 * initiate                start an IKE SA to remote.gateway
 * quit                    stop like SIGTERM (delete the SAs with the peer, exit 0)
 * help                    list the commands
 * </pre>
 *
 * Without an SPI a command acts on the only SA of its kind and fails when there are several.
 * Actions are asynchronous: {@code ok} means the exchange was started; {@code status} shows the
 * outcome. End of input only ends the console; the endpoint keeps running (process managers give
 * daemons an empty standard input).
 */
final class OperatorConsole {
  private static final Logger LOG = LoggerFactory.getLogger("ferry.console");

  private final SidecarEndpoint endpoint;
  private final Optional<IpAddress> gateway;
  private final PrintWriter out;
  private final Runnable quit;

  /**
   * @param gateway the resolved remote.gateway, empty for {@code %any}
   * @param quit stops the process (the shutdown path that deletes the SAs)
   */
  OperatorConsole(SidecarEndpoint endpoint, Optional<IpAddress> gateway, PrintWriter out,
      Runnable quit) {
    this.endpoint = endpoint;
    this.gateway = gateway;
    this.out = out;
    this.quit = quit;
  }

  /** Answers commands from {@code in} until its end; never throws. */
  void serve(BufferedReader in) {
    try {
      String line;
      while ((line = in.readLine()) != null) {
        String command = line.strip();
        if (!command.isEmpty()) {
          answer(execute(command));
        }
      }
      LOG.debug("standard input ended; the console is off, the endpoint keeps running");
    } catch (IOException e) {
      LOG.warn("console stopped: cannot read standard input: {}", e.getMessage());
    }
  }

  private void answer(String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  /** The answer line to one command line. */
  String execute(String line) {
    String[] words = line.split("\\s+");
    String name = words[0].toLowerCase(Locale.ROOT);
    Optional<String> argument = words.length > 1 ? Optional.of(words[1]) : Optional.empty();
    if (words.length > 2) {
      return "error " + name + ": too many arguments (at most one SPI)";
    }
    try {
      return switch (name) {
        case "status" -> "ok status" + describe(endpoint.snapshot());
        case "rekey-child" -> onChild(name, argument, endpoint::rekeyChild);
        case "delete-child" -> onChild(name, argument, endpoint::deleteChild);
        case "delete-ike" -> onIke(name, argument, endpoint::deleteIke);
        case "rekey-ike" -> onIke(name, argument, endpoint::rekeyIke);
        case "initiate" -> initiate();
        case "quit" -> {
          Thread stopper = new Thread(quit, "ferry-console-quit");
          stopper.start();
          yield "ok quit";
        }
        case "help" -> "ok help: status | rekey-child [SPI] | rekey-ike [SPI] | delete-child [SPI]"
            + " | delete-ike [SPI] | initiate | quit";
        default -> "error " + name + ": unknown command (try help)";
      };
    } catch (IllegalStateException e) {
      return "error " + name + ": " + e.getMessage();
    }
  }

  private String initiate() {
    if (gateway.isEmpty()) {
      return "error initiate: remote.gateway is %any, there is no peer address to initiate to";
    }
    endpoint.initiate(gateway.get());
    return "ok initiate " + gateway.get();
  }

  private String onChild(String name, Optional<String> argument,
      java.util.function.IntConsumer action) {
    List<ChildSaSpec> children = endpoint.snapshot().childSas();
    Optional<ChildSaSpec> target;
    if (argument.isPresent()) {
      Optional<Integer> spi = parseHex(argument.get(), 8).map(Long::intValue);
      if (spi.isEmpty()) {
        return "error " + name + ": '" + argument.get() + "' is not an ESP SPI (1 to 8 hex digits)";
      }
      target = children.stream().filter(c -> c.inboundSpi() == spi.get()).findFirst();
      if (target.isEmpty()) {
        return "error " + name + ": no installed CHILD SA with inbound SPI " + argument.get();
      }
    } else if (children.size() != 1) {
      return "error " + name + ": " + children.size()
          + " CHILD SAs are installed; name one by its inbound SPI";
    } else {
      target = Optional.of(children.get(0));
    }
    action.accept(target.get().inboundSpi());
    return "ok " + name + " " + ChildSaSpec.spiText(target.get().inboundSpi());
  }

  private String onIke(String name, Optional<String> argument,
      java.util.function.LongConsumer action) {
    List<IkeSaStatus> established = endpoint.snapshot().ikeSas().stream()
        .filter(s -> s.state() == IkeSaState.ESTABLISHED).toList();
    Optional<IkeSaStatus> target;
    if (argument.isPresent()) {
      Optional<Long> spi = parseHex(argument.get(), 16);
      if (spi.isEmpty()) {
        return "error " + name + ": '" + argument.get() + "' is not an IKE SPI (1 to 16 hex digits)";
      }
      target = established.stream().filter(s -> s.localSpi() == spi.get()).findFirst();
      if (target.isEmpty()) {
        return "error " + name + ": no established IKE SA with our SPI " + argument.get();
      }
    } else if (established.size() != 1) {
      return "error " + name + ": " + established.size()
          + " IKE SAs are established; name one by our SPI";
    } else {
      target = Optional.of(established.get(0));
    }
    action.accept(target.get().localSpi());
    return "ok " + name + " " + String.format("%016x", target.get().localSpi());
  }

  private static Optional<Long> parseHex(String text, int maxDigits) {
    String digits = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
    if (digits.isEmpty() || digits.length() > maxDigits || !digits.matches("[0-9a-fA-F]+")) {
      return Optional.empty();
    }
    return Optional.of(Long.parseUnsignedLong(digits, 16));
  }

  /**
   * {@code " ike-sas=1 child-sas=1; ike state=ESTABLISHED role=initiator spi-i=.. spi-r=..
   * local=.. remote=.. suite=..; child spi-in=.. spi-out=.. proposal=.. encap=yes"}: SPIs in hex
   * as strongSwan prints them, so they can be compared with {@code swanctl --list-sas}.
   */
  static String describe(Snapshot snapshot) {
    StringBuilder line = new StringBuilder();
    line.append(" ike-sas=").append(snapshot.ikeSas().size())
        .append(" child-sas=").append(snapshot.childSas().size());
    for (IkeSaStatus ike : snapshot.ikeSas()) {
      line.append("; ike state=").append(ike.state())
          .append(" role=").append(ike.info().initiator() ? "initiator" : "responder")
          .append(" spi-i=").append(String.format("%016x", ike.info().initiatorSpi()))
          .append(" spi-r=").append(String.format("%016x", ike.info().responderSpi()))
          .append(" local=").append(ike.info().local())
          .append(" remote=").append(ike.info().remote())
          .append(" suite=").append(ike.info().suite().isEmpty() ? "-" : ike.info().suite());
    }
    for (ChildSaSpec child : snapshot.childSas()) {
      line.append("; child spi-in=").append(ChildSaSpec.spiText(child.inboundSpi()))
          .append(" spi-out=").append(ChildSaSpec.spiText(child.outboundSpi()))
          .append(" proposal=").append(child.proposal())
          .append(" encap=").append(child.udpEncapsulation() ? "yes" : "no");
    }
    if (!snapshot.dataPlane().isEmpty()) {
      line.append("; ").append(snapshot.dataPlane());
    }
    return line.toString();
  }
}
