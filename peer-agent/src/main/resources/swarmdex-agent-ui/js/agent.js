// The agent's own UI: transfers (the persistent download queue), search with one-click download,
// the shared folder and this peer's reputation. Every call goes to the agent's JSON API (see
// docs/API.md, "A peer agent's web UI"); changes carry the CSRF token GET /api/session gives.
import { api, ApiError, el, say, formatBytes, formatDuration, parseSize, plural, safeHttpUrl } from "./api.js";
import { browsePeer } from "./browse.js";
import { renderUploads } from "./uploads.js";
import { addWish, renderWishlist } from "./wishlist.js";

const message = document.getElementById("message");
const views = ["transfers", "search", "browse", "wishlist", "uploads", "shares"];
let csrf = null;
let timer = null;

/** Calls the API; a change sends the CSRF token. A 401 means the page was opened without the key. */
async function call(path, options = {}) {
  try {
    return await api(path, { ...options, csrf: options.method ? csrf : undefined });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) locked();
    throw e;
  }
}

function locked() {
  document.getElementById("nav").hidden = true;
  views.forEach((v) => (document.getElementById(`view-${v}`).hidden = true));
  document.getElementById("me").textContent = "Locked";
  say(message, "This page needs your agent's key: run 'swarmdex-peer-agent ui --dir YOUR_SHARED_FOLDER' and open the link it prints.", "error");
}

async function start() {
  let session;
  try {
    session = await call("/api/session");
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) say(message, e.message, "error");
    return;
  }
  csrf = session.csrfToken;
  showMe(session);
  document.getElementById("nav").hidden = false;
  window.addEventListener("hashchange", show);
  show();
}

/** The header line: who this agent is, what it shares, whether it is connected. */
function showMe(session) {
  document.getElementById("me").textContent =
    `${session.peerId ? `peer ${session.peerId}` : "not joined yet"} · sharing ${plural(session.sharedFiles, "file")}` +
    (session.joined ? "" : " · not connected");
}

/** Shows the view the URL's #hash names (transfers by default); #browse/PEER browses a peer. */
function show() {
  const [hash, peer] = location.hash.slice(1).split("/");
  const name = views.includes(hash) ? hash : "transfers";
  views.forEach((v) => (document.getElementById(`view-${v}`).hidden = v !== name));
  document.querySelectorAll("#nav a").forEach((a) => {
    if (a.dataset.view === name) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
  clearTimeout(timer);
  call("/api/session").then(showMe, () => {});
  if (name === "transfers") refreshTransfers();
  if (name === "shares") loadShares();
  if (name === "search") document.getElementById("q").focus();
  if (name === "uploads") refreshUploads();
  if (name === "wishlist") {
    refreshWishlist();
    document.getElementById("wish-text").focus();
  }
  if (name === "browse") {
    const field = document.getElementById("browse-peer");
    if (peer) {
      field.value = decodeURIComponent(peer);
      browse(field.value);
    } else {
      field.focus();
    }
  }
}

// ---- Browse a peer, uploads ----

function browse(peer) {
  browsePeer(peer, { call, message, box: document.getElementById("browse-tree"),
    summary: document.getElementById("browse-summary") }).then(() => {
    document.querySelector("#browse-tree button, #browse-tree summary")?.focus();
  });
}

document.getElementById("browse-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const peer = document.getElementById("browse-peer").value.trim();
  if (!peer) {
    say(message, "Type the id of the peer to browse.", "error");
    return;
  }
  location.hash = `browse/${encodeURIComponent(peer)}`;
});

async function refreshUploads() {
  clearTimeout(timer);
  try {
    renderUploads(await call("/api/uploads"));
  } catch (e) {
    if (e.status === 401) return;
    say(message, e.message, "error");
  }
  if (!document.getElementById("view-uploads").hidden) timer = setTimeout(refreshUploads, 1000);
}

async function refreshWishlist() {
  clearTimeout(timer);
  try {
    renderWishlist(await call("/api/wishlist"), { call, message });
  } catch (e) {
    if (e.status === 401) return;
    say(message, e.message, "error");
  }
  if (!document.getElementById("view-wishlist").hidden) timer = setTimeout(refreshWishlist, 2000);
}

document.getElementById("wish-form").addEventListener("submit", (event) => {
  event.preventDefault();
  addWish({ call, message });
});

// ---- Transfers ----

async function refreshTransfers() {
  clearTimeout(timer);
  try {
    const data = await call("/api/transfers");
    renderTransfers(data);
  } catch (e) {
    if (e.status !== 401) say(message, e.message, "error");
    if (e.status === 401) return;
  }
  if (!document.getElementById("view-transfers").hidden) timer = setTimeout(refreshTransfers, 1000);
}

function renderTransfers(data) {
  document.getElementById("at-once").textContent = `Up to ${data.atOnce} at once; the rest wait their turn.`;
  // Re-rendering must not take the keyboard focus away: remember which button had it.
  const focused = document.activeElement?.dataset?.action
    ? { sha: document.activeElement.closest("[data-sha]")?.dataset.sha, action: document.activeElement.dataset.action }
    : null;
  const waiting = data.transfers.filter((t) => t.state !== "done" && t.state !== "failed");
  const ended = data.transfers.filter((t) => t.state === "done" || t.state === "failed");
  const queue = document.getElementById("queue");
  const finished = document.getElementById("finished");
  queue.replaceChildren(...waiting.map((t, i) => transferItem(t, i, waiting.length)));
  finished.replaceChildren(...ended.map((t) => transferItem(t, 0, 0)));
  document.getElementById("queue-empty").hidden = waiting.length > 0;
  document.getElementById("finished-empty").hidden = ended.length > 0;
  if (focused) {
    // Pause becomes Resume (and back) under the keyboard's focus; a disabled Up or Down gives way
    // to its twin.
    const twins = { pause: "resume", resume: "pause", up: "down", down: "up" };
    const item = document.querySelector(`[data-sha="${focused.sha}"]`);
    const again = [focused.action, twins[focused.action]]
      .map((action) => item?.querySelector(`[data-action="${action}"]`))
      .find((button) => button && !button.disabled);
    again?.focus();
  }
}

function transferItem(t, index, count) {
  const name = t.name ?? t.sha256.slice(0, 16) + "…";
  const label = t.state === "queued" ? `queued #${t.position}` : t.state;
  const item = el("li", { className: `transfer transfer-${t.state}`, dataset: { sha: t.sha256 } },
    el("div", { className: "transfer-head" },
      el("h3", { className: "transfer-name" }, name),
      el("span", { className: `state state-${t.state}` }, label)));
  if (t.state === "done") {
    item.append(el("p", { className: "transfer-line" },
      `${formatBytes(t.size)} · saved to `, el("span", { className: "mono saved-to" }, t.file ?? "?"),
      t.shared ? " · shared" : ""));
  } else {
    const size = t.size >= 0 ? t.size : 0;
    const bar = el("progress", { max: Math.max(1, size), value: Math.min(t.bytes, Math.max(1, size)) });
    bar.setAttribute("aria-label", `${name}: ${percent(t)} downloaded`);
    const parts = [`${formatBytes(t.bytes)} of ${t.size >= 0 ? formatBytes(t.size) : "?"}`, percent(t)];
    if (t.state === "running") {
      parts.push(`${formatBytes(t.bytesPerSecond)}/s`);
      if (t.etaSeconds !== null && t.etaSeconds !== undefined) parts.push(`${formatDuration(t.etaSeconds)} left`);
    }
    if (t.chunks > 0) parts.push(`${t.chunksVerified} of ${plural(t.chunks, "chunk")} verified`);
    item.append(bar, el("p", { className: "transfer-line progress-line" }, parts.join(" · ")));
    if (t.sources.length > 0) {
      item.append(el("ul", { className: "source-bytes", attrs: { "aria-label": "Sources" } },
        t.sources.map((s) => el("li", {}, el("span", { className: "source-addr" }, s.url),
          `${formatBytes(s.bytes)}${t.state === "running" ? ` · ${formatBytes(s.bytesPerSecond)}/s` : ""}`))));
    }
  }
  if (t.error) item.append(el("p", { className: "transfer-error" }, t.error));
  const actions = el("div", { className: "transfer-actions" });
  const button = (action, text, extra = "") =>
    el("button", { type: "button", className: `button button-small ${extra}`, dataset: { action },
      attrs: { "aria-label": `${text} ${name}` }, onclick: () => act(t, action) }, text);
  if (t.state === "queued" || t.state === "running") actions.append(button("pause", "Pause"));
  if (t.state === "paused" || t.state === "failed") actions.append(button("resume", t.state === "failed" ? "Retry" : "Resume"));
  if (count > 0) {
    const up = button("up", "Up");
    up.disabled = index === 0;
    const down = button("down", "Down");
    down.disabled = index === count - 1;
    actions.append(up, down);
  }
  actions.append(button("cancel", t.state === "done" ? "Remove from list" : "Cancel", "button-danger"));
  item.append(actions);
  return item;
}

function percent(t) {
  return t.size > 0 ? `${Math.floor((100 * t.bytes) / t.size)}%` : t.size === 0 ? "100%" : "0%";
}

async function act(t, action) {
  try {
    if (action === "cancel") {
      await call(`/api/transfers/${t.sha256}`, { method: "DELETE" });
    } else {
      await call(`/api/transfers/${t.sha256}/${action}`, { method: "POST" });
    }
    say(message, "");
  } catch (e) {
    say(message, e.message, "error");
  }
  refreshTransfers();
}

document.getElementById("magnet-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const field = document.getElementById("magnet");
  const text = field.value.trim();
  if (!text) {
    say(message, "Paste a magnet link first.", "error");
    return;
  }
  try {
    const t = await call("/api/transfers", { method: "POST", body: { magnet: text } });
    field.value = "";
    say(message, `Queued ${t.name ?? t.sha256}.`, "ok");
  } catch (e) {
    say(message, e.message, "error");
  }
  refreshTransfers();
});

// ---- Search ----

document.getElementById("search").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const q = document.getElementById("q").value.trim();
  if (!q) {
    say(message, "Type one or more words to search for.", "error");
    return;
  }
  const params = new URLSearchParams({ q });
  try {
    const type = document.getElementById("type").value;
    if (type) params.set("type", type);
    const min = parseSize(document.getElementById("min").value);
    const max = parseSize(document.getElementById("max").value);
    if (min !== null) params.set("min", min);
    if (max !== null) params.set("max", max);
  } catch (e) {
    say(message, e.message, "error");
    return;
  }
  form.setAttribute("aria-busy", "true");
  try {
    const page = await call(`/api/search?${params}`);
    say(message, "");
    const summary = document.getElementById("summary");
    summary.hidden = false;
    summary.textContent = page.results.length === 0 ? "No results." : `${plural(page.results.length, "result")}`;
    document.getElementById("results").replaceChildren(...page.results.map(resultItem));
  } catch (e) {
    say(message, e.message, "error");
  } finally {
    form.removeAttribute("aria-busy");
  }
});

/** One content with its sources, as the index server's search page groups them. */
function resultItem(result) {
  const sources = result.sources;
  const addresses = new Set(sources.map((s) => s.ip)).size;
  const get = el("button", { type: "button", className: "button button-primary button-small download-button",
    attrs: { "aria-label": `Download ${result.name}` } }, "Download");
  get.addEventListener("click", async () => {
    get.disabled = true;
    try {
      await call("/api/transfers", { method: "POST", body: { sha256: result.sha256, name: result.name, size: result.size } });
      get.textContent = "Queued";
      say(message, `Queued ${result.name}: see Transfers.`, "ok");
    } catch (e) {
      get.disabled = false;
      say(message, e.message, "error");
    }
  });
  return el("li", { className: "result" },
    el("h3", { className: "result-name" }, result.name),
    el("p", { className: "result-meta" },
      el("span", { className: "tag" }, result.type), " ", formatBytes(result.size), " · ",
      el("span", { className: "source-count" },
        `${plural(sources.length, "source")} · ${plural(addresses, "address", "addresses")} · ${plural(result.networks, "network")}`)),
    el("ul", { className: "sources" }, sources.map((s) => el("li", { className: "source" },
      el("span", { className: "source-addr" }, safeHttpUrl(s.url) ? s.url : s.ip),
      el("span", { className: "badge" }, `level ${s.reputation}`),
      s.firewalled ? el("span", { className: "badge" }, "firewalled") : null,
      el("a", { className: "browse-link", href: `#browse/${encodeURIComponent(s.peer)}`,
        attrs: { "aria-label": `Browse peer ${s.peer}'s files` } }, "Browse this peer")))),
    el("div", { className: "transfer-actions" }, get),
    el("p", { className: "hash" }, result.sha256));
}

// ---- Shares and reputation ----

async function loadShares() {
  try {
    const shares = await call("/api/shares");
    document.getElementById("shares").replaceChildren(
      el("dt", {}, "Folder"), el("dd", {}, shares.shareDir),
      el("dt", {}, "Files"), el("dd", {}, `${shares.files} (${formatBytes(shares.bytes)})`),
      el("dt", {}, "Peer"), el("dd", {}, shares.peerId ?? "not joined yet"),
      el("dt", {}, "Connected"), el("dd", {}, shares.joined ? "yes" : "no"));
    renderScans(shares);
  } catch (e) {
    say(message, e.message, "error");
  }
  const box = document.getElementById("reputation");
  try {
    const report = await call("/api/reputation");
    box.replaceChildren(
      el("p", { className: "level" }, `Level ${report.level}`),
      el("div", { className: "table-scroll" }, el("table", {},
        el("thead", {}, el("tr", {}, el("th", {}, "Factor"), el("th", { className: "num" }, "Points"), el("th", {}, "Why"))),
        el("tbody", {}, (report.factors ?? []).map((f) =>
          el("tr", {}, el("td", {}, f.name), el("td", { className: "num" }, String(f.points)), el("td", {}, f.why)))))));
  } catch (e) {
    box.replaceChildren(el("p", { className: "empty" }, e.message));
  }
}

/** Hashing progress, the folders shared and what the latest scan could not read. */
function renderScans(shares) {
  const s = shares.scanning;
  const bar = el("progress", { max: Math.max(1, s.bytesToHash), value: s.bytesHashed });
  bar.setAttribute("aria-label", "Hashing progress");
  document.getElementById("hashing").replaceChildren(s.filesToHash === 0
    ? el("p", { className: "empty" }, s.scanning ? "Scanning the folder…" : "Every file is hashed.")
    : el("div", { className: "transfer" }, bar, el("p", { className: "transfer-line hash-line" },
      `${s.filesHashed} of ${plural(s.filesToHash, "file")} hashed · ${formatBytes(s.bytesHashed)} of ${formatBytes(s.bytesToHash)}` +
      (s.scanning ? "" : " · done"))));
  document.getElementById("share-folders").replaceChildren(shares.folders.length === 0
    ? el("p", { className: "empty" }, "No files shared yet.")
    : el("div", { className: "table-scroll" }, el("table", {},
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Folder"), el("th", { className: "num", scope: "col" }, "Files"),
        el("th", { className: "num", scope: "col" }, "Size"))),
      el("tbody", {}, shares.folders.map((f) => el("tr", { className: "share-folder" },
        el("td", { className: "mono" }, f.folder || "(top folder)"), el("td", { className: "num" }, String(f.files)),
        el("td", { className: "num" }, formatBytes(f.bytes))))))));
  document.getElementById("share-errors").replaceChildren(s.errors.length === 0
    ? el("p", { className: "empty" }, "None: every file could be read.")
    : el("ul", { className: "share-errors" }, s.errors.map((e) =>
      el("li", {}, el("span", { className: "mono" }, e.path), `: ${e.error}`))));
  if (s.scanning && !document.getElementById("view-shares").hidden) timer = setTimeout(loadShares, 1000);
}

start();
