package dev.swarmdex.peer;

import dev.swarmdex.peer.serve.UploadGate;
import dev.swarmdex.peer.share.ScanStatus;
import dev.swarmdex.peer.share.Share;

/**
 * What a running agent is doing, as its web UI shows it: the latest scan of its share, how scanning
 * goes, and the gate its uploads pass.
 */
record Activity(Share share, ScanStatus scanning, UploadGate uploads) {}
