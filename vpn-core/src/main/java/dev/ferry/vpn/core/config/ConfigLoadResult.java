package dev.ferry.vpn.core.config;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of loading one file: a {@link Valid} configuration (whose warnings are in {@link
 * TunnelConfig#warnings()}), or {@link Invalid} with every error, never both.
 */
public sealed interface ConfigLoadResult {

  /** Every problem found (errors, warnings and notes), in file order. */
  List<ConfigProblem> problems();

  /** The configuration, or a {@link ConfigException} listing every error. */
  TunnelConfig orThrow();

  /** The file was valid. */
  record Valid(TunnelConfig config) implements ConfigLoadResult {
    public Valid {
      Objects.requireNonNull(config, "config");
    }

    @Override
    public List<ConfigProblem> problems() {
      return config.warnings();
    }

    @Override
    public TunnelConfig orThrow() {
      return config;
    }
  }

  /** The file was not valid; {@code problems} holds at least one error. */
  record Invalid(String sourceName, List<ConfigProblem> problems) implements ConfigLoadResult {
    public Invalid {
      problems = List.copyOf(problems);
      if (problems.stream().noneMatch(ConfigProblem::isError)) {
        throw new IllegalArgumentException("an invalid result needs at least one error");
      }
    }

    /** Only the errors. */
    public List<ConfigProblem> errors() {
      return problems.stream().filter(ConfigProblem::isError).toList();
    }

    @Override
    public TunnelConfig orThrow() {
      throw new ConfigException(sourceName, errors());
    }
  }
}
