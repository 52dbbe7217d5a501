package dev.swarmdex.supernode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.directory.Tokens;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.IndexKey;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PeerKey;
import dev.swarmdex.protocol.PrivateFiles;
import dev.swarmdex.protocol.SignedMembers;
import dev.swarmdex.protocol.SignedMembers.Member;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST mesh/members} at a real supernode whose index server does not answer: it takes a
 * member list the index server signed, newer than its own, from a caller the list names, and
 * refuses the attacks: a list signed by another key, a caller the list does not name, a member
 * added to a signed list, an older list brought back.
 */
class MemberListExchangeTest {
  @TempDir Path dir;
  private final PeerKey indexKey = PeerKey.generate();
  private final Credentials caller = new Credentials(Tokens.newPeerId(), Tokens.newToken());
  private Supernode supernode;
  private ApiClient client;

  @BeforeEach
  void start() throws Exception {
    int deadPort;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = free.getLocalPort();
    }
    Path data = dir.resolve("s1");
    PrivateFiles.write(
        data.resolve("index-key.json"), Json.write(new IndexKey(indexKey.publicKey())));
    supernode =
        Supernode.start(
            new Supernode.Config(
                URI.create("http://127.0.0.1:" + deadPort),
                new Credentials(Tokens.newPeerId(), Tokens.newToken()),
                InetAddress.getLoopbackAddress(),
                0,
                data,
                "s1",
                Duration.ofSeconds(1),
                Duration.ofSeconds(3)),
            () -> {});
    client = ApiClient.create(supernode.uri(), InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void stop() {
    client.close();
    supernode.close();
  }

  private List<Member> members(String... more) {
    List<Member> list = new ArrayList<>();
    list.add(new Member(caller.peerId(), "http://127.0.0.1:9", Tokens.hash(caller.token())));
    for (String id : more) {
      list.add(new Member(id, "http://127.0.0.1:9", Tokens.hash(Tokens.newToken())));
    }
    return list;
  }

  private int refusal(Credentials who, SignedMembers offered) {
    return assertThrows(ApiException.class, () -> client.exchangeMembers(who, offered)).status();
  }

  @Test
  void aSignedNewerListFromAMemberItNamesIsTakenAndHandedOn() {
    SignedMembers list = SignedMembers.sign(indexKey, 1_000, members("s-known"));
    SignedMembers answer = client.exchangeMembers(caller, list);
    assertFalse(answer.hasList(), "nothing newer to hand back");
    assertEquals(1_000, answer.issued());
    assertTrue(supernode.members().contains("s-known"), supernode.members().toString());
    // The list's token hash now stands for the caller: it may ask with its version only.
    SignedMembers pulled = client.exchangeMembers(caller, SignedMembers.version(0));
    assertEquals(list, pulled, "an older holder is handed the list");
  }

  @Test
  void aListSignedByAnotherKeyOrNotNamingTheCallerIsRefused() {
    PeerKey forger = PeerKey.generate();
    assertEquals(401, refusal(caller, SignedMembers.sign(forger, 1_000, members("s-fake"))));
    Credentials stranger = new Credentials(Tokens.newPeerId(), Tokens.newToken());
    assertEquals(401, refusal(stranger, SignedMembers.sign(indexKey, 1_000, members())));
    assertEquals(401, refusal(stranger, SignedMembers.version(0)));
    assertFalse(supernode.members().contains("s-fake"));
    assertFalse(supernode.members().contains(caller.peerId()));
  }

  @Test
  void aMemberAddedToASignedListOrAnOlderListIsNotTaken() {
    client.exchangeMembers(caller, SignedMembers.sign(indexKey, 1_000, members("s-real")));
    List<Member> tampered = new ArrayList<>(members("s-real"));
    SignedMembers signed = SignedMembers.sign(indexKey, 2_000, tampered);
    tampered.add(new Member("s-evil", "http://10.9.9.9:80", Tokens.hash(Tokens.newToken())));
    SignedMembers answer =
        client.exchangeMembers(caller, new SignedMembers(2_000, tampered, signed.signature()));
    assertEquals(1_000, answer.issued(), "the tampered list was not taken");
    SignedMembers older = SignedMembers.sign(indexKey, 500, members("s-old"));
    assertEquals(1_000, client.exchangeMembers(caller, older).issued());
    assertTrue(supernode.members().contains("s-real"));
    assertFalse(supernode.members().contains("s-evil"), supernode.members().toString());
    assertFalse(supernode.members().contains("s-old"), supernode.members().toString());
  }
}
