// The admin console: login, then the mesh, peers, candidates, bans and audit log.
// The session cookie is HttpOnly; GET session tells whether we are logged in and gives the CSRF
// token that every change sends.
import { api, el, say, formatBytes, formatDuration, plural } from "./api.js";

const ADMIN = "/api/v1/admin/";
const REFRESH_EVERY_MS = 5000;
const VIEWS = ["mesh", "peers", "candidates", "bans", "audit"];

const $ = (id) => document.getElementById(id);
const loading = $("loading");
const loginView = $("login-view");
const loginForm = $("login");
const loginMessage = $("login-message");
const consoleView = $("console");
const message = $("message");
const banForm = $("ban");

let session = null; // {name, csrfToken} while logged in
let askings = 0; // confirm dialogs opened so far: only the latest one's answer counts
let timer = 0;

// ---- API calls -------------------------------------------------------------------------------

/** An admin call; a 401 means the session ended, so the login form comes back. */
async function admin(path, { method = "GET", body } = {}) {
  try {
    return await api(ADMIN + path, { method, body, csrf: session?.csrfToken });
  } catch (error) {
    if (error.status === 401 && session) {
      showLogin("Your session ended. Log in again.");
    }
    throw error;
  }
}

async function checkSession() {
  try {
    session = await api(ADMIN + "session");
    showConsole();
  } catch (error) {
    session = null;
    showLogin(error.status === 401 ? "" : error.message);
  }
}

async function onLogin(event) {
  event.preventDefault();
  const name = loginForm.name.value.trim();
  const password = loginForm.password.value;
  if (!name || !password) {
    say(loginMessage, "Enter your name and password.", "error");
    return;
  }
  const button = loginForm.querySelector("button");
  button.disabled = true;
  try {
    session = await api(ADMIN + "login", { method: "POST", body: { name, password } });
    loginForm.reset();
    showConsole();
  } catch (error) {
    say(loginMessage, loginError(error), "error");
    loginForm.password.select();
  } finally {
    button.disabled = false;
  }
}

function loginError(error) {
  if (error.status === 401) return "Wrong name or password.";
  if (error.status === 429) {
    return `Too many attempts, retry in ${error.retryAfter || "a few"} s.`;
  }
  return error.message;
}

async function onLogout() {
  try {
    await admin("logout", { method: "POST" });
  } catch (error) {
    if (error.status !== 401) return say(message, error.message, "error");
  }
  session = null;
  showLogin("You are logged out.", "ok");
}

// ---- Screens ---------------------------------------------------------------------------------

function showLogin(text = "", kind = "error") {
  clearInterval(timer);
  session = null;
  loading.hidden = true;
  consoleView.hidden = true;
  $("who").hidden = true;
  loginView.hidden = false;
  say(loginMessage, text, kind);
  loginForm.name.focus();
}

function showConsole() {
  loading.hidden = true;
  loginView.hidden = true;
  consoleView.hidden = false;
  $("who").hidden = false;
  $("who-name").textContent = session.name;
  say(message, "");
  showView();
  clearInterval(timer);
  timer = setInterval(() => refresh({ quiet: true }), REFRESH_EVERY_MS);
}

function currentView() {
  const name = location.hash.slice(1);
  return VIEWS.includes(name) ? name : "mesh";
}

function showView() {
  const view = currentView();
  say(message, ""); // a banner belongs to the tab it was shown on
  for (const name of VIEWS) {
    $(`view-${name}`).hidden = name !== view;
  }
  document.querySelectorAll(".tabs a").forEach((tab) => {
    if (tab.dataset.view === view) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  });
  refresh();
}

/** Loads the visible view again, keeping keyboard focus on the same button if it is redrawn. */
async function refresh({ quiet = false } = {}) {
  if (!session) return;
  const focused = document.activeElement?.dataset?.key;
  try {
    await LOADERS[currentView()]();
    if (focused) document.querySelector(`[data-key="${CSS.escape(focused)}"]`)?.focus();
  } catch (error) {
    if (!quiet && session) say(message, error.message, "error");
  }
}

// ---- Views -----------------------------------------------------------------------------------

async function loadMesh() {
  const [mesh, stats] = await Promise.all([admin("mesh"), api("/api/v1/stats")]);
  const names = new Map([["index", "index server"]]);
  mesh.supernodes.forEach((s) => names.set(s.id, s.name));
  const nameOf = (id) => names.get(id) ?? id;

  $("mesh-index").replaceChildren(
    el("p", {}, el("strong", {}, "Index server: "),
      `${plural(stats.leaves, "leaf", "leaves")} · ${plural(stats.entries, "entry", "entries")} · `,
      `${plural(stats.peers, "peer")} and ${plural(stats.files, "file")} network-wide · `,
      "queries: ", counters(stats.queries),
      ` · digest ${formatBytes(stats.queries?.digestBytes ?? 0)} · routed: `, routed(stats.queries),
      " · saved searches: ", watches(stats.queries)));
  $("mesh-supernodes").replaceChildren(
    table(
      ["Supernode", "Leaves", "Entries", "Size", "Links", "Flooded queries",
        "Digest", "Routed", "Saved searches", ""],
      mesh.supernodes.map((s) => ({
        key: s.id,
        cells: [
          [el("strong", {}, s.name), " ", el("span", { className: "mono" }, short(s.id)),
            s.demoting ? [" ", el("span", { className: "badge" }, "demoting")] : null],
          num((s.leaves ?? []).length),
          num(s.entries),
          num(formatBytes(s.bytes)),
          (s.links ?? []).map(nameOf).join(", ") || "none",
          counters(s.queries),
          num(formatBytes(s.queries?.digestBytes ?? 0)),
          routed(s.queries),
          watches(s.queries),
          s.demoting ? "" : actionButton("demote", s.id, "Demote", `Demote ${s.name}`, true, s.name),
        ],
      })),
      "No supernodes yet: the index server is the whole directory.",
    ),
  );
  $("mesh-links").replaceChildren(
    mesh.links.length
      ? el("ul", {}, mesh.links.map(([a, b]) => el("li", {}, `${nameOf(a)} ↔ ${nameOf(b)}`)))
      : el("p", { className: "empty" }, "No links."),
  );
}

async function loadPeers() {
  const [{ peers }, mesh] = await Promise.all([admin("peers"), admin("mesh")]);
  const names = new Map([["index", "index server"]]);
  mesh.supernodes.forEach((s) => names.set(s.id, s.name));
  $("peers-table").replaceChildren(
    table(
      ["Peer", "Address", "Reachable", "Uptime", "Files", "Level", "Directory", "Role", ""],
      peers.map((p) => ({
        key: p.peerId,
        cells: [
          [el("strong", {}, p.name), " ", el("span", { className: "mono" }, short(p.peerId))],
          el("span", { className: "mono" }, `${p.ip}:${p.port}`),
          p.firewalled
            ? el("span", { className: "badge" }, "firewalled")
            : el("span", { className: "badge badge-ok" }, "open"),
          formatDuration(p.uptimeSeconds),
          String(p.files),
          num(p.reputation ?? 0),
          names.get(p.directory) ?? short(p.directory),
          p.role === "supernode" ? el("span", { className: "badge badge-super" }, "supernode") : p.role,
          [
            actionButton("history", p.peerId, "History", `Reputation history of ${p.name}`),
            " ",
            actionButton("ban-peer", p.peerId, "Ban…", `Ban ${p.name}`, true),
          ],
        ],
      })),
      "No peers online.",
    ),
  );
}

/** Shows a peer's level, what makes it up, and how it changed (GET peers/{id}/reputation). */
async function showHistory(peerId) {
  const box = $("peer-history");
  try {
    const report = await admin(`peers/${encodeURIComponent(peerId)}/reputation`);
    box.replaceChildren(
      el("h3", { id: "history-heading" }, `Reputation of ${short(report.peerId)}: level ${report.level}`),
      el("ul", { className: "factors" }, report.factors.map((f) =>
        el("li", {}, [el("strong", {}, `${f.name} ${f.points >= 0 ? "+" : ""}${f.points}`), ` — ${f.why}`]))),
      table(
        ["When", "Level", "Reason"],
        report.history.map((h, i) => ({
          key: `history-${i}`,
          cells: [when(h.at * 1000), num(h.level), h.reason],
        })),
        "No changes yet: the level has stayed at its start.",
      ),
    );
    box.hidden = false;
  } catch (error) {
    say(message, error.message, "error");
  }
}

async function loadCandidates() {
  const { candidates } = await admin("candidates");
  $("candidates-table").replaceChildren(
    table(
      ["Peer", "IP", "Uptime", "Capacity", "Reputation", ""],
      candidates.map((c) => ({
        key: c.peerId,
        cells: [
          [el("strong", {}, c.name), " ", el("span", { className: "mono" }, short(c.peerId))],
          el("span", { className: "mono" }, c.ip),
          formatDuration(c.uptimeSeconds),
          num(c.capacityKiBps > 0 ? `${c.capacityKiBps.toLocaleString("en")} KiB/s` : "unknown"),
          num(c.reputation),
          actionButton("promote", c.peerId, "Promote", `Promote ${c.name}`),
        ],
      })),
      "No candidates: every online peer is already a supernode, or none is online.",
    ),
  );
}

async function loadBans() {
  const { bans } = await admin("bans");
  $("bans-table").replaceChildren(
    table(
      ["Banned", "Reason", "By", "When", ""],
      bans.map((b) => ({
        key: String(b.id),
        cells: [
          b.peerId
            ? [el("span", {}, "peer "), el("span", { className: "mono" }, b.peerId)]
            : [el("span", {}, "IP "), el("span", { className: "mono" }, b.ip ?? "")],
          b.reason,
          b.admin,
          when(b.at),
          actionButton("lift", String(b.id), "Lift", `Lift ban ${b.id}`),
        ],
      })),
      "Nobody is banned.",
    ),
  );
}

const AUDIT_PAGE = 25;
let auditOffset = 0; // the audit page shown: entries from here, newest first

/** One page of the audit log (one entry more is asked, to know whether an older page exists). */
async function loadAudit() {
  const { entries } = await admin(`audit?limit=${AUDIT_PAGE + 1}&offset=${auditOffset}`);
  if (entries.length === 0 && auditOffset > 0) {
    auditOffset = Math.max(0, auditOffset - AUDIT_PAGE);
    return loadAudit();
  }
  const shown = entries.slice(0, AUDIT_PAGE);
  $("audit-table").replaceChildren(
    table(
      ["When", "Who", "Action", "Target", "Detail"],
      shown.map((e) => ({
        key: `audit-${e.id}`,
        cells: [when(e.at), e.admin, el("strong", {}, e.action),
          el("span", { className: "mono" }, e.target), auditDetail(e.detail)],
      })),
      "Nothing recorded yet.",
    ),
  );
  $("audit-range").textContent = shown.length
    ? `Entries ${auditOffset + 1}–${auditOffset + shown.length}, newest first`
    : "";
  $("audit-newer").disabled = auditOffset === 0;
  $("audit-older").disabled = entries.length <= AUDIT_PAGE;
}

/** An entry's detail: a change's JSON body as "name: value" pairs, other text as it is. */
function auditDetail(detail) {
  let fields = null;
  if (detail && detail.startsWith("{")) {
    try {
      fields = JSON.parse(detail);
    } catch {
      fields = null;
    }
  }
  if (!fields || typeof fields !== "object" || Array.isArray(fields)) return detail ?? "";
  const pairs = Object.entries(fields).filter(([, v]) => v !== null && v !== undefined);
  if (pairs.length === 0) return "";
  return el("dl", { className: "detail" }, pairs.map(([name, value]) => [
    el("dt", {}, name),
    el("dd", {}, typeof value === "object" ? JSON.stringify(value) : String(value)),
  ]));
}

const LOADERS = { mesh: loadMesh, peers: loadPeers, candidates: loadCandidates, bans: loadBans, audit: loadAudit };

// ---- Actions ---------------------------------------------------------------------------------

const ACTIONS = {
  history: (id) => showHistory(id),
  promote: (id) => change(`peers/${encodeURIComponent(id)}/promote`, "POST", {},
    `Promoting ${short(id)}: it becomes a supernode in a few seconds.`),
  demote: async (id, name) => {
    const sure = await confirmed(
      `Demote ${name}?`,
      "Its leaves move to other directories first, then it stops serving as a supernode. A"
        + " standalone supernode that is demoted is gone for good: its credentials stop working.",
      "Demote");
    if (sure) {
      await change(`peers/${encodeURIComponent(id)}/demote`, "POST", {},
        `Demoting ${name}: its leaves move first.`);
    }
  },
  lift: (id) => change(`bans/${encodeURIComponent(id)}`, "DELETE", undefined, "Ban lifted."),
  "ban-peer": (id) => {
    if (location.hash !== "#bans") history.pushState(null, "", "#bans");
    showView();
    banForm.kind.value = "peerId";
    banForm.target.value = id;
    banForm.reason.focus();
  },
};

async function change(path, method, body, done) {
  try {
    await admin(path, { method, body });
    say(message, done, "ok");
    await refresh();
  } catch (error) {
    say(message, error.message, "error");
  }
}

async function onBan(event) {
  event.preventDefault();
  const kind = banForm.kind.value;
  const target = banForm.target.value.trim();
  const reason = banForm.reason.value.trim();
  if (!target || !reason) {
    say(message, `Give the ${kind === "ip" ? "IP address" : "peer id"} and a reason.`, "error");
    (target ? banForm.reason : banForm.target).focus();
    return;
  }
  const body = { peerId: kind === "peerId" ? target : null, ip: kind === "ip" ? target : null, reason };
  const who = kind === "ip" ? `every peer at ${target}` : `peer ${target}`;
  const sure = await confirmed(`Ban ${who}?`,
    `Reason: ${reason}. Its files leave search at once and it is refused from then on, until`
      + " the ban is lifted.", "Ban");
  if (!sure) return;
  try {
    await admin("bans", { method: "POST", body });
    banForm.reset();
    say(message, `Banned ${target}.`, "ok");
    await refresh();
  } catch (error) {
    say(message, error.message, "error");
  }
}

function onClick(event) {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  if (button.dataset.action === "refresh") {
    say(message, "");
    refresh();
  } else if (button.dataset.action === "audit-page") {
    auditOffset = Math.max(0, auditOffset + Number(button.dataset.step) * AUDIT_PAGE);
    refresh();
  } else {
    ACTIONS[button.dataset.action]?.(button.dataset.id, button.dataset.name);
  }
}

/**
 * Asks before an action that cannot be taken back: a modal dialog (Escape or Cancel says no;
 * focus starts on Cancel, so Enter alone does not confirm).
 */
function confirmed(title, text, yes) {
  const dialog = $("confirm");
  const mine = ++askings;
  $("confirm-title").textContent = title;
  $("confirm-text").textContent = text;
  $("confirm-yes").textContent = yes;
  return new Promise((resolve) => {
    const onClose = () => {
      // The close event of an earlier asking may arrive after this one opened: it is not ours.
      if (dialog.open) return;
      dialog.removeEventListener("close", onClose);
      resolve(mine === askings && dialog.returnValue === "yes");
    };
    dialog.addEventListener("close", onClose);
    dialog.returnValue = "";
    dialog.showModal();
    $("confirm-cancel").focus();
  });
}

// ---- Small builders --------------------------------------------------------------------------

/** A table (cards on a phone) with one row per {key, cells}; `empty` when there are no rows. */
function table(headings, rows, empty) {
  if (rows.length === 0) return el("p", { className: "empty" }, empty);
  return el(
    "table",
    { className: "cards" },
    el("thead", {}, el("tr", {}, headings.map((h) =>
      el("th", { scope: "col" }, h || el("span", { className: "visually-hidden" }, "Actions"))))),
    el("tbody", {}, rows.map(({ key, cells }) =>
      el("tr", { dataset: { key } }, cells.map((cell, i) => {
        const isNum = cell && cell.numeric;
        return el("td", { className: isNum ? "num" : "", dataset: { label: headings[i] } },
          isNum ? cell.value : Array.isArray(cell) ? el("span", {}, cell) : cell);
      })))),
  );
}

function num(value) {
  return { numeric: true, value: typeof value === "number" ? value.toLocaleString("en") : value };
}

function actionButton(action, id, text, label, danger = false, name = id) {
  return el("button", {
    type: "button",
    className: `button button-small${danger ? " button-danger" : ""}`,
    dataset: { action, id, name, key: `${action}:${id}` },
    attrs: { "aria-label": label },
  }, text);
}

/** Flooding counters, each with its name: "12 received · 30 forwarded · 2 duplicates · 5 hits". */
function counters(q) {
  if (!q) return "none yet";
  const named = [
    `${q.received.toLocaleString("en")} received`,
    `${q.forwarded.toLocaleString("en")} forwarded`,
    plural(q.duplicates, "duplicate"),
    plural(q.hits, "hit"),
  ];
  // Each number stays on the line of its name.
  return el("span", {}, named.map((text, i) =>
    [i ? " · " : "", el("span", { className: "nowrap" }, text)]));
}

/** Routed searches and the messages they took: "3 searches · 15 messages". */
function routed(q) {
  if (!q) return "none yet";
  return el("span", {}, [
    el("span", { className: "nowrap" }, plural(q.routed ?? 0, "search", "searches")), " · ",
    el("span", { className: "nowrap" }, plural(q.routeMessages ?? 0, "message"))]);
}

/** Saved searches a directory's peers keep there, and those it holds as rendezvous: "3 kept · 5 held". */
function watches(q) {
  if (!q) return "none yet";
  return el("span", {}, [
    el("span", { className: "nowrap" }, `${q.watchesSaved ?? 0} kept`), " · ",
    el("span", { className: "nowrap" }, `${q.watchesHeld ?? 0} held`)]);
}

function short(id) {
  return id.length > 12 ? `${id.slice(0, 10)}…` : id;
}

function when(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

// ---- Start -----------------------------------------------------------------------------------

loginForm.addEventListener("submit", onLogin);
banForm.addEventListener("submit", onBan);
$("logout").addEventListener("click", onLogout);
consoleView.addEventListener("click", onClick);
window.addEventListener("hashchange", () => session && showView());
checkSession();

