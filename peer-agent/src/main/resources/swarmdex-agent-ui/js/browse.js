// Browsing another peer: its files as a folder tree (native <details>, so Enter and Space open a
// folder and a phone taps it), one-click download of a file, and "Download folder", which the agent
// queues file by file into the shared folder under the same folders (POST /api/peers/{id}/downloads).
import { el, say, formatBytes, plural } from "./api.js";

/** Builds a tree of {name, files, folders} from the files' '/'-separated folders. */
function tree(files) {
  const root = { name: "", path: "", files: [], folders: new Map(), count: 0, bytes: 0 };
  for (const f of files) {
    let node = root;
    node.count++;
    node.bytes += f.size;
    for (const name of f.folder ? f.folder.split("/") : []) {
      const path = node.path ? `${node.path}/${name}` : name;
      if (!node.folders.has(name)) node.folders.set(name, { name, path, files: [], folders: new Map(), count: 0, bytes: 0 });
      node = node.folders.get(name);
      node.count++;
      node.bytes += f.size;
    }
    node.files.push(f);
  }
  return root;
}

/** Shows peer `peer`'s files in `box`; `call` is the page's API call, `message` its status box. */
export async function browsePeer(peer, { call, message, box, summary }) {
  box.replaceChildren();
  summary.textContent = `Asking the directory for ${peer}'s files…`;
  let listing;
  try {
    listing = await call(`/api/peers/${encodeURIComponent(peer)}/files`);
  } catch (e) {
    summary.textContent = "";
    say(message, e.message, "error");
    return;
  }
  say(message, "");
  const root = tree(listing.files);
  summary.textContent = `Peer ${listing.peer} shares ${plural(listing.total, "file")} (${formatBytes(root.bytes)})` +
    (listing.complete ? "." : `; the first ${listing.files.length} are shown.`);
  if (listing.files.length === 0) {
    box.replaceChildren(el("p", { className: "empty" }, "This peer shares nothing now."));
    return;
  }
  const queueFolder = async (button, folder) => {
    button.disabled = true;
    try {
      const done = await call(`/api/peers/${encodeURIComponent(peer)}/downloads`, { method: "POST", body: { folder } });
      button.textContent = "Queued";
      say(message, `Queued ${plural(done.queued, "file")} of ${folder || "the whole share"}` +
        (done.refused ? ` (${done.refused} could not be queued)` : "") + ": see Transfers.", "ok");
    } catch (e) {
      button.disabled = false;
      say(message, e.message, "error");
    }
  };
  const queueFile = async (button, f) => {
    button.disabled = true;
    try {
      await call("/api/transfers", { method: "POST", body: { sha256: f.sha256, name: f.name, size: f.size } });
      button.textContent = "Queued";
      say(message, `Queued ${f.name}: see Transfers.`, "ok");
    } catch (e) {
      button.disabled = false;
      say(message, e.message, "error");
    }
  };
  const folderButton = (node) => {
    const label = node.path ? `Download folder ${node.path}` : "Download everything";
    const button = el("button", { type: "button", className: "button button-small folder-download",
      attrs: { "aria-label": `${label} (${plural(node.count, "file")})` } },
      node.path ? `Download folder (${plural(node.count, "file")})` : `Download everything (${plural(node.count, "file")})`);
    button.addEventListener("click", () => queueFolder(button, node.path));
    return button;
  };
  const fileItem = (f) => {
    const get = el("button", { type: "button", className: "button button-primary button-small",
      attrs: { "aria-label": `Download ${f.name}` } }, "Download");
    get.addEventListener("click", () => queueFile(get, f));
    return el("li", { className: "tree-file" },
      el("span", { className: "tree-name" }, f.name),
      el("span", { className: "tree-size" }, formatBytes(f.size)), get);
  };
  const folderItem = (node) => el("li", { className: "tree-folder" },
    el("details", { dataset: { folder: node.path } },
      el("summary", {}, el("span", { className: "tree-name" }, `${node.name}/`),
        el("span", { className: "tree-size" }, `${plural(node.count, "file")} · ${formatBytes(node.bytes)}`)),
      el("div", { className: "transfer-actions" }, folderButton(node)),
      contents(node)));
  const contents = (node) => el("ul", { className: "tree-list" },
    [...node.folders.values()].map(folderItem), node.files.map(fileItem));
  box.replaceChildren(el("div", { className: "transfer-actions" }, folderButton(root)), contents(root));
}
