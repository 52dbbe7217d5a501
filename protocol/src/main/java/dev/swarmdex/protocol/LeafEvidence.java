package dev.swarmdex.protocol;

/** Evidence one leaf handed its supernode, as the supernode forwards it: the leaf's peer id. */
public record LeafEvidence(String peerId, Evidence evidence) {
  public LeafEvidence {
    Require.text("peerId", peerId, 64);
    Require.present("evidence", evidence);
  }
}
