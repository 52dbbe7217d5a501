/**
 * Fetching one content from every peer that shares it at once: 1 MiB chunks over HTTP Range, each
 * checked against a hash tree whose root the directory published, lying and failing sources
 * dropped, resumable from a {@code .part} and its state file, and the whole file verified and moved
 * into place. Firewalled sources are fetched through their directory's relay, or push their chunks
 * to a downloader that accepts connections. A downloader with an identity collects the uploaders'
 * tickets for verified bytes and reports of bad or broken transfers ({@link
 * dev.swarmdex.peer.download.EvidenceSink}); relayed and pushed bytes carry no ticket.
 */
package dev.swarmdex.peer.download;
