// Shared by both pages: one fetch helper that turns every failure into a readable message,
// a DOM builder that only ever sets text (never HTML), and formatting of sizes and times.

/** A failed API call: `message` is what to show the user. */
export class ApiError extends Error {
  constructor(message, status = 0, code = "", retryAfter = 0) {
    super(message);
    this.status = status; // 0: the server could not be reached
    this.code = code;
    this.retryAfter = retryAfter; // seconds, from Retry-After, else 0
  }
}

/**
 * Calls the API and returns the parsed JSON body.
 * Throws ApiError with the server's `error` text for a 4xx/5xx, or a connection message.
 */
export async function api(path, { method = "GET", body, csrf } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (csrf) headers["X-CSRF-Token"] = csrf;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch {
    throw new ApiError("Can't reach Swarmdex. Check that it is running, then try again.");
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const retryAfter = Number.parseInt(response.headers.get("Retry-After") ?? "", 10) || 0;
    const message =
      data && typeof data.error === "string"
        ? data.error
        : `The server answered ${response.status} ${response.statusText}`.trim();
    throw new ApiError(message, response.status, data?.code ?? "", retryAfter);
  }
  return data;
}

/**
 * Builds an element. `props` are set as properties (className, href, type, ...), except
 * `dataset` and `attrs`; children are nodes or strings (always added as text).
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  const { dataset, attrs, ...rest } = props;
  Object.assign(node, rest);
  Object.entries(dataset ?? {}).forEach(([key, value]) => (node.dataset[key] = value));
  Object.entries(attrs ?? {}).forEach(([key, value]) => node.setAttribute(key, value));
  // Children may nest arrays at any depth; each node is added as itself (a one-level flat() once
  // showed "[object HTMLSpanElement]" for a nested badge).
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Shows `text` in a status box; kind is "info", "error" or "ok". Empty text hides it. */
export function say(box, text, kind = "info") {
  box.textContent = text;
  box.className = `notice notice-${kind}`;
  box.hidden = !text;
}

const UNITS = ["B", "KB", "MB", "GB", "TB"];

/** 3276800 -> "3.3 MB" (decimal units, as disks and most file managers count). */
export function formatBytes(bytes) {
  let value = Number(bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

const FACTORS = {
  "": 1, b: 1,
  k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, t: 1e12, tb: 1e12,
  kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4,
};

/**
 * "10 MB" -> 10000000, "1.5GiB" -> 1610612736, "" -> null (no limit).
 * Throws RangeError with a message for anything else.
 */
export function parseSize(text) {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const match = /^(\d+(?:[.,]\d+)?)\s*([a-z]*)$/i.exec(trimmed);
  const factor = match ? FACTORS[match[2].toLowerCase()] : undefined;
  if (factor === undefined) {
    throw new RangeError(`"${trimmed}" is not a size; write e.g. 700 KB, 10 MB or 1.5 GB`);
  }
  return Math.round(Number(match[1].replace(",", ".")) * factor);
}

/** 3725 -> "1 h 2 min". */
export function formatDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/**
 * A count with its noun: plural(1, "peer") -> "1 peer", plural(3, "peer") -> "3 peers",
 * plural(3, "leaf", "leaves") -> "3 leaves" (nouns whose plural is not noun + "s").
 */
export function plural(count, noun, nouns = `${noun}s`) {
  return `${count.toLocaleString("en")} ${count === 1 ? noun : nouns}`;
}

/** Only http(s) URLs become links; anything else from the network is shown as text. */
export function safeHttpUrl(text) {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}
