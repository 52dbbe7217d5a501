package dev.swarmdex.engine.mesh;

import dev.swarmdex.protocol.LeafInfo;
import dev.swarmdex.protocol.QueryCounters;
import java.util.List;

/** A supernode as the admin console shows it. */
public record MemberView(
    String id,
    String name,
    String url,
    List<LeafInfo> leaves,
    long entries,
    long bytes,
    QueryCounters queries,
    List<String> links,
    boolean demoting) {}
