package dev.swarmdex.protocol;

import java.util.List;

/**
 * A contact's answer to {@code mesh/route}: the members of its group whose digest may match (or
 * whose digest it does not hold), each with the entries its digest counts (0 when not held), at
 * most {@link #MAX_MEMBERS}.
 */
public record RouteAnswer(List<Member> members) {
  /** Members an answer names at most. */
  public static final int MAX_MEMBERS = 1024;

  public RouteAnswer {
    members = Require.list("members", members, MAX_MEMBERS);
  }

  /** One member that may match: its id and its digest's entries. */
  public record Member(String id, long entries) {
    public Member {
      Require.text("id", id, 64);
      if (entries < 0) {
        throw new IllegalArgumentException("entries must not be negative");
      }
    }
  }
}
