package dev.swarmdex.peer;

import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.WatchRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/** Runs {@code watch add|list|remove} against the running agent's control endpoint. */
final class WatchCli {
  private WatchCli() {}

  static int run(CommandLine.WatchCommand command, PrintStream out)
      throws IOException, UsageException {
    List<AgentLink> agents = AgentLink.find(command.agentsHome(), command.state(), null);
    if (agents.isEmpty()) {
      throw new IOException("no peer agent runs here: saved searches live in a running agent");
    }
    if (agents.size() > 1) {
      throw new UsageException(
          "several peer agents run here; choose one with --state DIR", CommandLine.usage("watch"));
    }
    AgentLink agent = agents.get(0);
    switch (command.action()) {
      case "add" -> {
        WatchRequest query =
            new WatchRequest(command.argument(), null, null, null, command.autoDownload());
        Wishlist.Wish wish =
            Json.readAnswer(agent.call("POST", "watches", Json.write(query)), Wishlist.Wish.class);
        out.printf(
            "saved search %s: %s%s%n",
            wish.id(), wish.query().text(), wish.query().autoDownload() ? " (auto-download)" : "");
      }
      case "remove" -> {
        agent.call("DELETE", "watches/" + command.argument(), null);
        out.println("removed saved search " + command.argument());
      }
      default -> {
        Wishlist.View view =
            Json.readAnswer(agent.call("GET", "watches", null), Wishlist.View.class);
        if (view.wishes().isEmpty()) {
          out.println("no saved searches");
        }
        for (Wishlist.Wish wish : view.wishes()) {
          out.printf(
              "%s  %s%s%n",
              wish.id(),
              wish.query().text(),
              wish.query().autoDownload()
                  ? "  (auto-download, " + wish.downloaded() + " of " + Wishlist.MAX_DOWNLOADS + ")"
                  : "");
          view.found().stream()
              .filter(found -> found.wish().equals(wish.id()))
              .forEach(
                  found ->
                      out.printf(
                          "    found %s (%d bytes, %s)%s%n",
                          found.name(),
                          found.size(),
                          found.sha256(),
                          found.queued() ? ", downloading" : ""));
        }
      }
    }
    return 0;
  }
}
