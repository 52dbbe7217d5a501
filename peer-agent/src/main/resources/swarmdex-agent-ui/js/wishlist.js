// The wishlist (GET/POST /api/wishlist, DELETE /api/wishlist/ID): searches the agent saves at its
// directory, which tells it of every matching file published from then on. Each wish lists what
// it found; an auto-download wish queues its first five finds, others offer a Download button.
import { el, say, formatBytes, plural } from "./api.js";

/** One file a wish found: queued already, or a button that queues it. */
function foundItem(f, { call, message }) {
  const line = el("li", { className: "wish-hit" },
    el("span", { className: "tree-name" }, f.name),
    el("span", { className: "tree-size" }, formatBytes(f.size)));
  if (f.queued) {
    line.append(el("span", { className: "state state-running" }, "queued · see Transfers"));
    return line;
  }
  const get = el("button", { type: "button", className: "button button-primary button-small",
    attrs: { "aria-label": `Download ${f.name}` } }, "Download");
  get.addEventListener("click", async () => {
    get.disabled = true;
    try {
      await call("/api/transfers", { method: "POST", body: { sha256: f.sha256, name: f.name, size: f.size } });
      get.textContent = "Queued";
      say(message, `Queued ${f.name}: see Transfers.`, "ok");
    } catch (e) {
      get.disabled = false;
      say(message, e.message, "error");
    }
  });
  line.append(get);
  return line;
}

/** One wish: its words, whether it downloads, what it found, and Remove. */
function wishItem(wish, found, context) {
  const words = wish.query.text;
  const remove = el("button", { type: "button", className: "button button-small button-danger wish-remove",
    attrs: { "aria-label": `Remove wish ${words}` } }, "Remove");
  remove.addEventListener("click", async () => {
    remove.disabled = true;
    try {
      renderWishlist(await context.call(`/api/wishlist/${encodeURIComponent(wish.id)}`, { method: "DELETE" }), context);
      say(context.message, `Removed "${words}" from the wishlist.`, "ok");
      document.getElementById("wish-text").focus();
    } catch (e) {
      remove.disabled = false;
      say(context.message, e.message, "error");
    }
  });
  const mine = found.filter((f) => f.wish === wish.id);
  const badges = [];
  if (wish.query.type) badges.push(el("span", { className: "state" }, wish.query.type));
  if (wish.query.autoDownload) {
    badges.push(el("span", { className: "state state-done" },
      `auto-download · ${wish.downloaded} of 5`));
  }
  return el("li", { className: "transfer wish", dataset: { wish: wish.id } },
    el("div", { className: "transfer-head" },
      el("h3", { className: "transfer-name" }, words), badges),
    el("p", { className: "transfer-line" }, mine.length === 0
      ? "Nothing found yet: a matching file published anywhere from now on shows here."
      : `Found ${plural(mine.length, "file")}:`),
    mine.length === 0 ? null : el("ul", { className: "tree-list wish-hits" }, mine.map((f) => foundItem(f, context))),
    el("div", { className: "transfer-actions" }, remove));
}

/** Renders `data` (the wishlist) into the wishlist view. */
export function renderWishlist(data, context) {
  const list = document.getElementById("wishes");
  // Keep the keyboard where it was when the list is redrawn under it.
  const focused = document.activeElement?.closest?.("#wishes li.wish")?.dataset.wish;
  const label = document.activeElement?.getAttribute?.("aria-label");
  list.replaceChildren(...data.wishes.map((w) => wishItem(w, data.found, context)));
  document.getElementById("wishes-empty").hidden = data.wishes.length > 0;
  document.getElementById("wish-count").textContent =
    `${plural(data.wishes.length, "search", "searches")} of 16 kept, saved at your directory.`;
  if (focused && label) {
    list.querySelector(`li[data-wish="${CSS.escape(focused)}"] [aria-label="${CSS.escape(label)}"]`)?.focus();
  }
}

/** Adds the form's wish; answers whether it was kept. */
export async function addWish(context) {
  const text = document.getElementById("wish-text");
  const words = text.value.trim();
  if (!words) {
    say(context.message, "Type the words to watch for.", "error");
    text.focus();
    return false;
  }
  const type = document.getElementById("wish-type").value;
  const body = { text: words, autoDownload: document.getElementById("wish-auto").checked };
  if (type) body.type = type;
  try {
    await context.call("/api/wishlist", { method: "POST", body });
  } catch (e) {
    say(context.message, e.message, "error");
    text.focus();
    return false;
  }
  text.value = "";
  say(context.message, `Watching for "${words}": matching files published from now on show under it.`, "ok");
  renderWishlist(await context.call("/api/wishlist"), context);
  text.focus();
  return true;
}
