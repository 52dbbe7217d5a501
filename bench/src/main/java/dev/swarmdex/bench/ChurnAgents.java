package dev.swarmdex.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The peer agents of a churn run, each a process of its own ({@code PeerAgentMain share}) so that
 * it can die the hard way: {@link #kill} is SIGKILL, with no leave and no shutdown hook. Slot
 * {@code s} runs on 127.0.0.{@code 10+s}; each generation of a slot has a new identity and shares
 * one file of its own, {@code churnbench slotS genG.bin}. An agent counts as joined once it has
 * printed its peer id (it has joined and published).
 */
final class ChurnAgents implements AutoCloseable {
  /** The word every agent's file name has: one search finds them all. */
  static final String WORD = "churnbench";

  private static final Pattern PEER = Pattern.compile("as peer (\\w+)");

  /** One agent process: when it joined and when it was killed ({@link Long#MAX_VALUE}: alive). */
  static final class Agent {
    final int slot;
    final int generation;
    final Process process;
    volatile String peerId;
    volatile long joinedAt = Long.MAX_VALUE;
    volatile long killedAt = Long.MAX_VALUE;

    Agent(int slot, int generation, Process process) {
      this.slot = slot;
      this.generation = generation;
      this.process = process;
    }

    boolean joinedBefore(long nanos) {
      return joinedAt < nanos;
    }

    boolean aliveUntil(long nanos) {
      return killedAt > nanos;
    }
  }

  private final URI server;
  private final Path work;
  private final String classpath;
  private final List<String> jvm;
  private final Random random;
  private final List<Agent> agents = new CopyOnWriteArrayList<>();
  private final Map<String, Agent> byPeer = new ConcurrentHashMap<>();
  private final int[] generations;
  // Kills the agents when this JVM is stopped (Ctrl-C) before close: none is left running.
  private final Thread stopper = new Thread(this::killAll, "churn-agents-stop");

  ChurnAgents(URI server, Path work, String classpath, List<String> jvm, int slots, long seed) {
    this.server = server;
    this.work = work;
    this.classpath = classpath;
    this.jvm = jvm;
    this.random = new Random(seed);
    this.generations = new int[slots];
    Runtime.getRuntime().addShutdownHook(stopper);
  }

  /** Starts the next generation of {@code slot}. */
  Agent start(int slot) throws IOException {
    int generation = generations[slot]++;
    Path home = work.resolve("s" + slot + "g" + generation);
    Path share = Files.createDirectories(home.resolve("share"));
    byte[] bytes = new byte[4096];
    random.nextBytes(bytes);
    Files.write(share.resolve(WORD + " slot" + slot + " gen" + generation + ".bin"), bytes);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvm);
    command.addAll(
        List.of(
            "-cp",
            classpath,
            "dev.swarmdex.peer.PeerAgentMain",
            "share",
            "--server",
            server.toString(),
            "--dir",
            share.toString(),
            "--bind",
            "127.0.0." + (10 + slot),
            "--state",
            home.resolve("state").toString(),
            "--ui-port",
            "0",
            "--name",
            "churn-s" + slot + "-g" + generation));
    Process process =
        new ProcessBuilder(command)
            .redirectError(home.resolve("agent.log").toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    Agent agent = new Agent(slot, generation, process);
    agents.add(agent);
    Thread reader = new Thread(() -> watch(agent), "churn-agent-" + slot + "-" + generation);
    reader.setDaemon(true);
    reader.start();
    return agent;
  }

  /** Reads the agent's output until it says which peer it is. */
  private void watch(Agent agent) {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(agent.process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        Matcher peer = PEER.matcher(line);
        if (agent.peerId == null && peer.find()) {
          agent.peerId = peer.group(1);
          byPeer.put(agent.peerId, agent);
          agent.joinedAt = System.nanoTime();
        }
      }
    } catch (IOException e) {
      // the process died: its output ended
    }
  }

  /** SIGKILL, noting the time first (a search after this instant that names it is stale). */
  void kill(Agent agent) throws InterruptedException {
    agent.killedAt = System.nanoTime();
    agent.process.destroyForcibly().waitFor();
  }

  /** A random agent that has joined and is alive, or null. */
  Agent victim() {
    List<Agent> live = new ArrayList<>();
    for (Agent agent : agents) {
      if (agent.killedAt == Long.MAX_VALUE && agent.peerId != null) {
        live.add(agent);
      }
    }
    return live.isEmpty() ? null : live.get(random.nextInt(live.size()));
  }

  /** The agent that joined as {@code peerId}, or null if none has said so (yet). */
  Agent byPeer(String peerId) {
    return byPeer.get(peerId);
  }

  List<Agent> all() {
    return agents;
  }

  /** Agents started and not killed that have joined. */
  long joined() {
    return agents.stream().filter(a -> a.killedAt == Long.MAX_VALUE && a.peerId != null).count();
  }

  @Override
  public void close() {
    killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(stopper);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs
    }
  }

  private void killAll() {
    for (Agent agent : agents) {
      agent.process.destroyForcibly();
    }
    for (Agent agent : agents) {
      try {
        agent.process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
