package dev.swarmdex.supernode;

import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.engine.directory.Identities.Identity;
import dev.swarmdex.engine.directory.Tokens;
import dev.swarmdex.engine.mesh.MeshRegistry;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Neighbour;
import dev.swarmdex.protocol.SignedMembers;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Member lists passed among supernodes ({@code POST mesh/members}), so that one whose view is old
 * (the index server died before its next report) or that joined just before learns the newest list
 * from the others: each round it offers {@link #FANOUT} random supernodes of its members the
 * version it holds; one holding a newer list answers with it, one holding an older one is sent this
 * one's (push-pull). A list is taken only when the index server signed it (its key, learnt at mesh
 * join) and it is newer than the one held: nobody else can add a member, change a member's URL, or
 * bring back an older list. The members' token hashes it carries let this supernode take their mesh
 * calls while the index server cannot be asked ({@link RemoteIdentities#vouched}).
 */
final class MemberGossip {
  private static final Logger LOG = LoggerFactory.getLogger(MemberGossip.class);

  /** Supernodes offered this one's version each round. */
  static final int FANOUT = 2;

  private final ApiClient client;
  private final Credentials self;
  private final RemoteIdentities identities;
  private final Supplier<String> indexKey;
  private final Consumer<SignedMembers> adopt;
  // Guarded by this.
  private SignedMembers held;

  /**
   * @param adopt told each newer list taken from another supernode
   */
  MemberGossip(
      ApiClient client,
      Credentials self,
      RemoteIdentities identities,
      Supplier<String> indexKey,
      Consumer<SignedMembers> adopt) {
    this.client = client;
    this.self = self;
    this.identities = identities;
    this.indexKey = indexKey;
    this.adopt = adopt;
  }

  /** The list the index server itself sent (its answer needs no signature check). */
  synchronized void fromIndex(SignedMembers list) {
    if (list != null && list.hasList() && newer(list)) {
      held = list;
      identities.vouched(list.members());
    }
  }

  /** The list held, or null. */
  synchronized SignedMembers held() {
    return held;
  }

  /**
   * {@code mesh/members} here: the caller must be a directory known here or named by the signed
   * list it offers; a newer signed list is taken; the answer is this one's list when newer than the
   * caller's, else its version.
   */
  SignedMembers exchange(String token, SignedMembers offered) {
    if (!knownDirectory(token) && !vouches(offered, Tokens.hash(token))) {
      throw new SecurityException(
          "mesh calls need a directory's token, or a member list signed by the index server"
              + " naming it");
    }
    take(offered);
    SignedMembers mine = held();
    if (mine != null && mine.issued() > offered.issued()) {
      return mine;
    }
    return SignedMembers.version(mine == null ? 0 : mine.issued());
  }

  /** One round: offers this one's version to a few random supernodes among {@code members}. */
  void round(List<Neighbour> members) {
    List<Neighbour> others = new ArrayList<>();
    for (Neighbour member : members) {
      if (!member.id().equals(self.peerId()) && !member.id().startsWith(MeshRegistry.INDEX_ID)) {
        others.add(member);
      }
    }
    Collections.shuffle(others);
    for (Neighbour target : others.subList(0, Math.min(FANOUT, others.size()))) {
      SignedMembers mine = held();
      try {
        ApiClient at = client.at(URI.create(target.url()));
        SignedMembers answer;
        try {
          answer =
              at.exchangeMembers(self, SignedMembers.version(mine == null ? 0 : mine.issued()));
        } catch (ApiException e) {
          if (e.status() != 401 || mine == null) {
            throw e;
          }
          answer = at.exchangeMembers(self, mine); // not known there yet: the list vouches for it
        }
        if (answer.hasList()) {
          take(answer);
        } else if (mine != null && answer.issued() < mine.issued()) {
          at.exchangeMembers(self, mine);
        }
      } catch (ApiException | IllegalArgumentException e) {
        LOG.debug("member list exchange with {} failed: {}", target.id(), e.getMessage());
      }
    }
  }

  private void take(SignedMembers list) {
    String key = indexKey.get();
    boolean taken;
    synchronized (this) {
      taken = list.hasList() && key != null && newer(list) && list.verifies(key);
      if (taken) {
        held = list;
        identities.vouched(list.members());
      }
    }
    if (taken) {
      LOG.info(
          "took a newer member list ({} members) from another supernode", list.members().size());
      adopt.accept(list);
    }
  }

  private boolean newer(SignedMembers list) {
    return held == null || list.issued() > held.issued();
  }

  private boolean vouches(SignedMembers list, String tokenHash) {
    String key = indexKey.get();
    return list.hasList()
        && key != null
        && list.members().stream().anyMatch(m -> m.tokenHash().equals(tokenHash))
        && list.verifies(key);
  }

  private boolean knownDirectory(String token) {
    try {
      return identities.byToken(token).map(Identity::isDirectory).orElse(false);
    } catch (DirectoryException e) {
      if (e.reason() == Reason.FORBIDDEN) {
        throw new SecurityException(e.getMessage());
      }
      return false; // the index server cannot be asked: only a signed list can vouch
    }
  }
}
