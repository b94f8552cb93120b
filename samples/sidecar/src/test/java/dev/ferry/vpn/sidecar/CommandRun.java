package dev.ferry.vpn.sidecar;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One in-process run of the sidecar's command line, as {@code java -jar vpn-sidecar.jar ...}. */
record CommandRun(int exitCode, String out, String err) {

  static CommandRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = SidecarMain.newCommandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return new CommandRun(cmd.execute(args), out.toString(), err.toString());
  }
}
