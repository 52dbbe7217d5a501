package dev.swarmdex.peer;

import dev.swarmdex.peer.serve.UploadGate;
import dev.swarmdex.peer.share.ScanStatus;
import dev.swarmdex.peer.share.Share;

/**
 * What a running agent is doing, as its web UI shows it: the latest scan of its share, how scanning
 * goes, the gate its uploads pass, and its wishlist (saved searches and what they found).
 */
record Activity(Share share, ScanStatus scanning, UploadGate uploads, Wishlist wishlist) {}
