// The agent's uploads (GET /api/uploads): who is downloading from it now, how much and how fast,
// who waits for a slot, and the uploads that ended lately. Tables scroll sideways on a phone.
import { el, formatBytes, plural } from "./api.js";

function table(caption, head, rows) {
  return el("div", { className: "table-scroll" }, el("table", { className: "uploads-table" },
    el("caption", { className: "visually-hidden" }, caption),
    el("thead", {}, el("tr", {}, head.map(([text, num]) => el("th", { className: num ? "num" : "", scope: "col" }, text)))),
    el("tbody", {}, rows)));
}

function uploadRows(list, running) {
  return list.map((u) => el("tr", { className: "upload" },
    el("td", {}, u.peerId ?? "unnamed peer"),
    el("td", { className: "mono" }, u.ip),
    el("td", { className: "upload-file" }, u.file ?? `${u.sha256.slice(0, 16)}…`),
    el("td", { className: "num" }, formatBytes(u.bytes)),
    el("td", { className: "num" }, `${formatBytes(u.bytesPerSecond)}/s`),
    el("td", { className: "num" }, running ? `${u.seconds} s` : `${u.seconds} s`)));
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
        el("td", { className: "num" }, `#${w.position}`), el("td", { className: "mono" }, w.ip),
        el("td", { className: "num" }, String(w.reputation)), el("td", { className: "num" }, `${w.seconds} s`)))));
  document.getElementById("uploads-finished").replaceChildren(data.finished.length === 0
    ? el("p", { className: "empty" }, "No upload has finished yet.")
    : table("Uploads that ended lately", HEAD, uploadRows(data.finished, false)));
}
