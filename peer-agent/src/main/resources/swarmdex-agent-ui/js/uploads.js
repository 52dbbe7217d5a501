// The agent's uploads (GET /api/uploads): who is downloading from it now, how much and how fast,
// who waits for a slot, and the uploads that ended lately. Tables scroll sideways on a phone.
import { el, formatBytes, plural } from "./api.js";

function table(caption, head, rows) {
  return el("div", { className: "table-scroll" }, el("table", { className: "uploads-table" },
    el("caption", { className: "visually-hidden" }, caption),
    el("thead", {}, el("tr", {}, head.map(([text, num]) => el("th", { className: num ? "num" : "", scope: "col" }, text)))),
    el("tbody", {}, rows)));
}

/** A table cell labelled with its column's name (shown before it on a phone). */
function cell(label, text, className = "") {
  return el("td", { className, dataset: { label } }, text);
}

function uploadRows(list, running) {
  return list.map((u) => el("tr", { className: "upload" },
    cell("Peer", u.peerId ?? "unnamed peer"),
    cell("Address", u.ip, "mono"),
    cell("File", u.file ?? `${u.sha256.slice(0, 16)}…`, "upload-file"),
    cell("Sent", formatBytes(u.bytes), "num"),
    cell("Speed", `${formatBytes(u.bytesPerSecond)}/s`, "num"),
    cell("Time", running ? `${u.seconds} s so far` : `${u.seconds} s`, "num")));
}

const HEAD = [["Peer"], ["Address"], ["File"], ["Sent", true], ["Speed", true], ["Time", true]];

/** Renders `data` (GET /api/uploads) into the uploads view. */
export function renderUploads(data) {
  document.getElementById("upload-slots").textContent =
    `Up to ${plural(data.slots, "upload")} at once; ${data.running.length} running, ${data.waiting.length} waiting.`;
  document.getElementById("uploads-running").replaceChildren(data.running.length === 0
    ? el("p", { className: "empty" }, "Nobody is downloading from you right now.")
    : table("Uploads in progress", HEAD, uploadRows(data.running, true)));
  document.getElementById("uploads-waiting").replaceChildren(data.waiting.length === 0
    ? el("p", { className: "empty" }, "Nobody waits for a slot.")
    : table("Requesters waiting for a slot", [["Place", true], ["Address"], ["Reputation", true], ["Waiting", true]],
      data.waiting.map((w) => el("tr", {},
        cell("Place", `#${w.position}`, "num"), cell("Address", w.ip, "mono"),
        cell("Reputation", String(w.reputation), "num"), cell("Waiting", `${w.seconds} s`, "num")))));
  document.getElementById("uploads-finished").replaceChildren(data.finished.length === 0
    ? el("p", { className: "empty" }, "No upload has finished yet.")
    : table("Uploads that ended lately", HEAD, uploadRows(data.finished, false)));
}
