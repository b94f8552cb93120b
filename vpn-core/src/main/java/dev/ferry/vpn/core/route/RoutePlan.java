package dev.ferry.vpn.core.route;

import java.util.ArrayList;
import java.util.List;

/**
 * What one node must change, in order, and what the planner found. Deletions come first so that a
 * route moving to another metric never has two copies at once; within each kind, operations are
 * sorted by destination.
 */
public record RoutePlan(List<RouteOperation> operations, List<Diagnostic> diagnostics) {

  public RoutePlan {
    operations = List.copyOf(operations);
    diagnostics = List.copyOf(diagnostics);
  }

  /** True when the node's table needs no change (diagnostics may still be present). */
  public boolean isEmpty() {
    return operations.isEmpty();
  }

  /** True when some diagnostic has {@link Diagnostic.Severity#ERROR}. */
  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
  }

  /** One {@code ip route} command per operation, in order. */
  public List<String> toIpCommands() {
    return operations.stream().map(RouteOperation::toIpCommand).toList();
  }

  /**
   * The commands followed by the diagnostics as {@code #} comment lines: a text that a shell can
   * run as it is and a human can read.
   */
  public List<String> toScriptLines() {
    List<String> lines = new ArrayList<>(toIpCommands());
    for (Diagnostic d : diagnostics) {
      lines.add("# " + d);
    }
    return lines;
  }
}
