package dev.ferry.vpn.core.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration file that yields no configuration, with every error found in it. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String sourceName;
  private final transient List<ConfigProblem> errors;

  public ConfigException(String sourceName, List<ConfigProblem> errors) {
    super(sourceName + ": " + errors.size() + " error(s)\n"
        + errors.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
    this.sourceName = sourceName;
    this.errors = List.copyOf(errors);
  }

  public String sourceName() {
    return sourceName;
  }

  /** Every error, in file order. */
  public List<ConfigProblem> errors() {
    return errors;
  }
}
