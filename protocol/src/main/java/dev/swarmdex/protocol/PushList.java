package dev.swarmdex.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.List;

/** The push requests a directory holds for a firewalled peer (possibly none). */
public record PushList(List<PushRequest> pushes) {
  @JsonCreator
  public PushList {
    pushes = Require.list("pushes", pushes, 1_000);
  }
}
