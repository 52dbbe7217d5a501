package dev.swarmdex.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * What a directory tells a peer in a heartbeat answer, beyond "carry on". On the wire it is an
 * object with a {@code type} field: {@code move}, {@code promote} or {@code demote}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Directive.MoveTo.class, name = "move"),
  @JsonSubTypes.Type(value = Directive.Promote.class, name = "promote"),
  @JsonSubTypes.Type(value = Directive.Demote.class, name = "demote")
})
public sealed interface Directive {
  /** Attach to these directories instead (first one first), and publish there. */
  record MoveTo(List<String> directories) implements Directive {
    public MoveTo {
      directories = Require.list("directories", directories, 16);
      if (directories.isEmpty()) {
        throw new IllegalArgumentException("directories must name at least one directory");
      }
    }
  }

  /** Take the supernode role, with the identity and token the peer already has. */
  record Promote() implements Directive {}

  /** Give up the supernode role: the directory has moved the leaves away. */
  record Demote() implements Directive {}
}
