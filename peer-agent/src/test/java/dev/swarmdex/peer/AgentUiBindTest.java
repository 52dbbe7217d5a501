package dev.swarmdex.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile: the agent's web UI is for its owner on this machine. By default it listens on loopback
 * only, so no other address of the machine answers on its port; {@code ui} prints its URL again.
 */
class AgentUiBindTest {
  @TempDir Path root;

  @Test
  void shareListensForTheUiOnLoopbackByDefault() throws Exception {
    CommandLine.ShareCommand share =
        assertInstanceOf(
            CommandLine.ShareCommand.class,
            CommandLine.parse(
                new String[] {"share", "--server", "http://127.0.0.1:8080", "--dir", "/srv/music"},
                new CommandLine.Defaults(Path.of("/home/ann"), "annbox")));
    assertTrue(share.uiBind().isLoopbackAddress(), "default UI address " + share.uiBind());
    assertEquals(AgentUi.DEFAULT_PORT, share.uiPort());
    assertEquals(TransferQueue.DEFAULT_AT_ONCE, share.downloadsAtOnce());
  }

  @Test
  void noOtherAddressOfTheMachineReachesTheUi() throws Exception {
    Path share = Files.createDirectories(root.resolve("share"));
    PeerAgentConfig config =
        new PeerAgentConfig(
            URI.create("http://127.0.0.1:1"),
            share,
            root.resolve("state"),
            InetAddress.getLoopbackAddress(),
            0,
            "me",
            Duration.ofMinutes(5));
    try (PeerAgent agent = PeerAgent.start(config);
        AgentUi ui = AgentUi.start(agent, config, InetAddress.getLoopbackAddress(), 0)) {
      assertEquals("127.0.0.1", ui.url().getHost());
      assertTrue(connects(InetAddress.getLoopbackAddress(), ui.port()), "the owner's browser");
      List<InetAddress> others = new ArrayList<>(List.of(InetAddress.getByName("127.0.0.2")));
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (!address.isLoopbackAddress() && address instanceof Inet4Address) {
            others.add(address);
          }
        }
      }
      for (InetAddress other : others) {
        assertTrue(!connects(other, ui.port()), "the UI answers on " + other);
      }

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int status =
          PeerAgentMain.run(
              new String[] {"ui", "--state", config.stateDir().toString()},
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      assertEquals(0, status);
      assertEquals(ui.url() + "\n", out.toString(StandardCharsets.UTF_8));
    }
  }

  @Test
  void uiWithoutARunSaysSo() {
    IOException e =
        assertThrows(IOException.class, () -> AgentUi.savedUrl(root.resolve("never-ran")));
    assertTrue(e.getMessage().contains("run 'share'"), e.getMessage());
  }

  private static boolean connects(InetAddress address, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
