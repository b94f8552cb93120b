package dev.ferry.vpn.sidecar;

import dev.ferry.vpn.core.config.ChartConfigLoader;
import dev.ferry.vpn.core.config.ConfigLoadResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading configuration files for the commands, with a missing file reported in one place. */
final class ConfigFiles {
  private ConfigFiles() {}

  /**
   * The load result, or null after printing that the file does not exist (an operational error,
   * exit 1, unlike a file that exists and is invalid, exit 2).
   */
  static ConfigLoadResult load(Path file, PrintWriter err) {
    if (!Files.isRegularFile(file)) {
      err.println("error: " + file + ": no such file");
      return null;
    }
    return new ChartConfigLoader().load(file);
  }
}
