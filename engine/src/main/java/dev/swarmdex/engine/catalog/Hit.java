package dev.swarmdex.engine.catalog;

import dev.swarmdex.protocol.FileType;
import dev.swarmdex.protocol.Sha256;
import java.util.List;

/**
 * One search result: a content id and every peer in this catalog that shares it.
 *
 * @param name the name under which the best-matching peer shares it
 * @param size its size in bytes, as that peer announced it
 * @param sha256 its content id
 * @param type its type, from {@code name}
 * @param peers the ids of the peers sharing it, best-matching first
 * @param networks the number of networks those peers are on ({@link
 *     dev.swarmdex.protocol.SourceNetworks})
 * @param score its rank: text relevance raised by the number of networks
 * @param treeRoot the root of its hash tree as that peer published it, or null
 */
public record Hit(
    String name,
    long size,
    Sha256 sha256,
    FileType type,
    List<String> peers,
    int networks,
    float score,
    Sha256 treeRoot) {
  public Hit {
    peers = List.copyOf(peers);
  }
}
