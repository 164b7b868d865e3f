// The page: a studio (the code drawn as you type, by the API's preview, which stores nothing) and an owner's
// view of dynamic codes. The API base and the request's limits come from config.json: the limits are the
// service's own (qr_service/fields.py), never literals here.
"use strict";

const $ = (id) => document.getElementById(id);
let apiUrl = null;
let limits = null; // config.json's limits: bounds, defaults, the logo's size, the contrast rule
let allowedHosts = []; // config.json's: the hosts links may point to (qr.allowed_hosts, ASCII); empty: any
let keyRequired = false; // config.json's access is "key": a GET embed would need a header an <img> cannot send
let logoBase64 = null; // the chosen logo file's bytes, base64, as the API takes them
let kinds = []; // config.json's content types: what a code can hold besides a link, each part as declared
const KEY_STORE = "qr.apiKey"; // sessionStorage: this tab only, never the URL
const PAGE_SIZE = 400; // the studio's starting width in pixels
const SLIDER_MAX = 2000; // the slider's end; the number field goes to the API's maximum
const DEBOUNCE_MS = 250; // typing pauses this long before the preview is asked for

// Named looks: each sets the style fields in one click.
const PRESETS = [
  { name: "Classic", fields: { module_style: "square", eye_style: "square", fill_color: "#000000", back_color: "#ffffff", eye_custom: false } },
  { name: "Rounded", fields: { module_style: "rounded", eye_style: "rounded", fill_color: "#1f2937", back_color: "#ffffff", eye_custom: false } },
  { name: "Dots", fields: { module_style: "dots", eye_style: "circle", fill_color: "#000000", back_color: "#ffffff", eye_custom: true, eye_color: "#1a56db" } },
  { name: "Midnight", fields: { module_style: "rounded", eye_style: "rounded", fill_color: "#0b1f3a", back_color: "#f4efe6", eye_custom: true, eye_color: "#b42318" } },
];
const STYLE_INPUTS = ["module_style", "eye_style", "fill_color", "back_color", "eye_color"];

// The API's field names as this page calls them, so that its messages read in the page's words.
const LABELS = {
  url: "Link to encode",
  target: "Link",
  box_size: "Pixels per module",
  border: "Quiet zone",
  error_correction: "Error correction",
  fill_color: "Colour",
  back_color: "Background",
  module_style: "Module style",
  logo: "Logo",
  size: "Size in pixels",
  eye_color: "Eye colour",
  eye_style: "Eye style",
  caption: "Caption",
};

const STYLE_NAMES = { square: "square", rounded: "rounded", dots: "dots", circle: "circle" };
const NOT_A_LINK = () => "This does not look like a link: use a form such as https://example.com/path or www.example.com.";
const kilobytes = (bytes) => Math.ceil(bytes / 1024);

// The page's own sentence for each error code, from its params; a code not listed here shows the
// service's message as it is.
const SENTENCES = {
  "url.required": () => "Enter a link to encode.",
  "url.empty": () => "Enter a link to encode.",
  "url.scheme": (p) => `Only http and https links can be encoded, not ${p.scheme}: links.`,
  "url.space": () => "The link contains spaces: write them as %20.",
  "url.control": () => "The link contains control characters or line breaks: remove them.",
  "url.encoding": () => "The link contains characters that are not valid text: paste it again.",
  "url.capacity": (p) => `The link is ${p.bytes} bytes; with error correction ${p.error_correction} a QR code holds at most ${p.capacity}. Shorten it or choose a lower level.`,
  "url.host": NOT_A_LINK,
  "url.invalid": NOT_A_LINK,
  "url.form": NOT_A_LINK,
  "url.host_not_allowed": (p) => `This site makes codes for links to ${p.allowed} only, not to ${p.host}.`,
  "size.type": (p) => `${LABELS.size} must be a whole number from ${p.minimum} to ${p.maximum}.`,
  "size.range": (p) => `${LABELS.size} must be from ${p.minimum} to ${p.maximum}, got ${p.value}.`,
  "size.too_small": (p) => `${LABELS.size} must be at least ${p.minimum} pixels for this code with ${LABELS[p.option] || p.option} ${STYLE_NAMES[p.style] || p.style}.`,
  "box_size.style_minimum": (p) => `${LABELS[p.option] || p.option} ${STYLE_NAMES[p.style] || p.style} needs a larger image to scan; raise ${LABELS.size}.`,
  "colors.eye_contrast": () => `${LABELS.eye_color} and ${LABELS.back_color} are too alike to scan. Pick a darker eye colour.`,
  "colors.eye_transparent_contrast": () => "This eye colour is too light to scan on a white page. Pick a darker one.",
  "colors.eye_inverted": () => "The eye colour must be darker than the background.",
  "caption.length": (p) => `The caption is ${p.length} characters; the limit is ${p.limit}.`,
  "caption.printable": () => "The caption must be plain text on one line.",
  "caption.glyphs": (p) => `The caption's font cannot draw ${p.characters}. Latin, Greek and Cyrillic letters work.`,
  "border.type": (p) => `${LABELS.border} must be a whole number from ${p.minimum} to ${p.maximum}.`,
  "border.range": (p) => `${LABELS.border} must be from ${p.minimum} to ${p.maximum}, got ${p.value}.`,
  "colors.contrast": () => `${LABELS.fill_color} and ${LABELS.back_color} are too alike to scan. Pick a darker colour or a lighter background.`,
  "colors.transparent_contrast": () => "This colour is too light to scan on a white page. Pick a darker colour.",
  "colors.inverted": () => "The colour must be darker than the background: many phone scanners cannot read light codes on dark.",
  "logo.image_type": () => "The logo must be a PNG or JPEG image.",
  "logo.bytes": (p) => `The logo is ${kilobytes(p.bytes)} KB; the limit is ${kilobytes(p.limit)} KB. Choose a smaller image.`,
  "logo.dimensions": (p) => `The logo is ${p.width}×${p.height} pixels; the limit is ${p.limit}×${p.limit}. Choose a smaller image.`,
  "logo.pixels": (p) => `The logo has more pixels than ${p.limit}×${p.limit}. Choose a smaller image.`,
  "logo.unreadable": () => "The logo could not be read as an image.",
  "request.throttled": () => "The service is busy. Please try again in a moment.",
  "request.rate_limited": () => "Too many requests from this address: wait a few minutes and try again.",
  "auth.missing": () => "This needs an API key: enter the one the service's owner gave you.",
  "auth.invalid": () => "This API key is not valid: it is unknown or has been revoked. Check it, or ask the owner for a new one.",
  "request.key_rate_limited": () => "This API key has made too many requests: wait a few minutes and try again.",
  "service.storage": () => "The code could not be stored. Please try again in a moment.",
  "service.codes": () => "Your codes cannot be reached just now. Please try again in a moment.",
  "code.not_found": () => "This code is no longer there: it may have been deleted in another tab.",
  "batch.image_size": (p) => `In a batch a code is at most ${p.limit} pixels wide, and this one would be ${p.pixels}: lower Size in the studio.`,
  "batch.items": (p) => `A batch takes 1 to ${p.maximum} codes.`,
  "content.required": (p) => `${partLabel(p.field)} is needed for this code.`,
  "content.length": (p) => `${partLabel(p.field)} is ${p.length} characters; the limit is ${p.limit}.`,
  "content.format": (p) => `${partLabel(p.field)} must be ${p.form}.`,
  "content.range": (p) => `${partLabel(p.field)} must be from ${p.minimum} to ${p.maximum}.`,
  "content.choice": (p) => `${partLabel(p.field)} must be one of ${p.choices}.`,
  "content.printable": (p) => `${partLabel(p.field)} must not contain control characters.`,
  "content.nopass_password": () => "An open network has no password: leave Password empty, or choose WPA or WEP.",
  "content.event_order": () => "The event must end after it starts.",
  "content.capacity": (p) => `This is ${p.bytes} bytes; with error correction ${p.error_correction} a QR code holds at most ${p.capacity}. Shorten it or choose a lower level.`,
};

// A content part's label, from its path (content.ssid), for the page's sentences.
function partLabel(path) {
  const kind = kinds.find((k) => k.name === $("content_type").value);
  const named = (k) => k && k.parts.find((p) => `content.${p.name}` === path);
  const part = named(kind) || kinds.map(named).find(Boolean); // a batch row may be of another type
  return part ? part.label : path;
}

// An error in the page's words: its sentence for the code, else the service's own message.
function sentence(error) {
  const write = error && SENTENCES[error.code];
  return write ? write(error.params || {}) : (error && error.message) || null;
}

// An element with attributes and children, so that nothing from the service is ever parsed as HTML.
function el(tag, attributes = {}, ...children) {
  const SVG = "http://www.w3.org/2000/svg";
  const svg = ["svg", "rect", "line", "g"].includes(tag);
  const node = svg ? document.createElementNS(SVG, tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children);
  return node;
}

// ---- Configuration -------------------------------------------------------------------------------------

// The request's bounds and defaults from config.json onto the form's controls.
function applyLimits() {
  const border = limits.fields.border;
  Object.assign($("border"), { min: border.minimum, max: border.maximum });
  if (!$("border").value) $("border").value = String(border.default);
  const size = limits.fields.size;
  Object.assign($("size"), { min: size.minimum, max: size.maximum });
  Object.assign($("size-slider"), { min: Math.max(size.minimum, 96), max: Math.min(size.maximum, SLIDER_MAX) });
  if (!$("size").value) $("size").value = String(PAGE_SIZE);
  $("size-slider").value = $("size").value;
  $("caption").maxLength = limits.fields.caption.max_length;
  $("batch-max").textContent = String(limits.batch.max_items);
  $("batch-side").textContent = String(limits.batch.max_side);
  $("logo-limit").textContent = String(kilobytes(limits.max_logo_bytes));
  $("logo-level").textContent = limits.logo_level;
}

let configLoading = null;
function loadConfig() {
  configLoading ??= (async () => {
    const response = await fetch("config.json", { cache: "no-store" });
    if (!response.ok) throw new Error("config.json is missing: the page does not know where the API is.");
    const config = await response.json();
    apiUrl = String(config.apiUrl).replace(/\/+$/, "");
    limits = config.limits;
    allowedHosts = config.allowedHosts || [];
    keyRequired = config.access === "key";
    kinds = limits.content_types || [];
    buildTypes();
    if (keyRequired) showKeyField();
    if (allowedHosts.length) $("url-help").textContent += ` This site makes codes for links to ${allowedHosts.join(", ")} only.`;
    applyLimits();
  })();
  return configLoading;
}

// ---- What the code holds: a link, or a content type's own fields -----------------------------------------

function buildTypes() {
  const select = $("content_type");
  select.length = 1; // config.json may be read again
  for (const kind of kinds) select.append(el("option", { value: kind.name, text: kind.title }));
  $("type-box").hidden = allowedHosts.length > 0; // where hosts are limited, the service takes links only
}

const currentType = () => $("content_type").value;
const currentKind = () => kinds.find((kind) => kind.name === currentType());

function partControl(kind, part) {
  const id = `content.${part.name}`;
  const title = part.label + (part.required || part.required_unless || part.type === "boolean" || part.choices ? "" : " (optional)");
  if (part.type === "boolean") {
    return el("label", { class: "check wide", for: id }, el("input", { id, type: "checkbox", checked: part.default === true }), ` ${part.label}`);
  }
  let control;
  if (part.choices) {
    control = el("select", { id }, ...part.choices.map((choice) => el("option", { value: choice, selected: choice === part.default, text: choice })));
  } else if (part.multiline) {
    control = el("textarea", { id, rows: 3, maxlength: part.max_length, spellcheck: "true" });
  } else if (kind.name === "event" && (part.name === "start" || part.name === "end")) {
    control = el("input", { id, type: "datetime-local" });
  } else if (part.type === "number") {
    control = el("input", { id, type: "number", step: "any", min: part.minimum, max: part.maximum, inputmode: "decimal" });
  } else {
    control = el("input", { id, type: "text", maxlength: part.max_length, spellcheck: "false", autocomplete: "off" });
  }
  return el("label", { for: id, class: part.multiline ? "wide" : null }, title, control);
}

// The chosen type's fields in place of the link's; a link's field back for "Link".
function showType() {
  const kind = currentKind();
  if ($("content-fields").dataset.kind === currentType()) return; // drawn already (input, then change)
  $("content-fields").dataset.kind = currentType();
  if ($("content-fields").contains(document.activeElement)) document.activeElement.blur(); // its change first
  $("link-fields").hidden = Boolean(kind);
  $("content-fields").hidden = !kind;
  $("editable-box").hidden = Boolean(kind); // a dynamic code is a link
  $("content-fields").replaceChildren(...(kind ? kind.parts.map((part) => partControl(kind, part)) : []));
  clearErrors($("studio"));
}

// The content object as the API takes it: each filled-in part, numbers as numbers, a checked box as true.
function contentValues(kind) {
  const values = { type: kind.name };
  for (const part of kind.parts) {
    const control = $(`content.${part.name}`);
    if (!control) continue; // being drawn
    if (part.type === "boolean") {
      if (control.checked) values[part.name] = true;
    } else if (control.value.trim() !== "") {
      values[part.name] = part.type === "number" ? Number(control.value) : control.value;
    }
  }
  return values;
}

// What a code is for, in a few words: its link, or its type and first part.
function describe(body) {
  if (!body.content) return body.url;
  const kind = kinds.find((k) => k.name === body.content.type);
  const first = kind.parts.find((part) => part.required);
  return `${kind.title}: ${first ? body.content[first.name] : ""}`;
}

// ---- Errors at their fields ----------------------------------------------------------------------------

function clearErrors(scope = document) {
  for (const id of ["error", "codes-error"]) if (scope.contains($(id))) $(id).hidden = true;
  for (const box of scope.querySelectorAll(".field-error")) box.remove();
  for (const field of scope.querySelectorAll("[aria-invalid]")) {
    field.removeAttribute("aria-invalid");
    const described = (field.getAttribute("aria-describedby") || "").split(" ").filter((id) => !id.endsWith("-error"));
    if (described.length) field.setAttribute("aria-describedby", described.join(" "));
    else field.removeAttribute("aria-describedby");
  }
}

// At the field it concerns (marked invalid and described by the message), or in `general`. The live preview
// never moves the focus: the person is still typing.
function showError(message, fieldName, { focus = false, general = "error" } = {}) {
  const field = fieldName && $(fieldName);
  if (!field) {
    const box = $(general);
    box.textContent = message;
    box.hidden = false;
    return;
  }
  const details = field.closest("details");
  if (details) details.open = true;
  const box = el("p", { id: `${fieldName}-error`, class: "error field-error", role: "alert", text: message });
  const after = field.closest(".size-row") || field.closest("label") || field;
  after.after(box);
  field.setAttribute("aria-invalid", "true");
  const described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
  field.setAttribute("aria-describedby", [box.id, ...described].join(" "));
  if (focus) field.focus();
}

// ---- The API key ---------------------------------------------------------------------------------------

// Asked for where the service needs one (config.json's access, a 401, the owner's view), kept for this tab.
function showKeyField() {
  $("key-box").hidden = false;
  const stored = sessionStorage.getItem(KEY_STORE);
  if (stored && !$("api_key").value) $("api_key").value = stored;
}

function currentKey() {
  return $("api_key").value.trim();
}

function keyHeaders() {
  const key = currentKey();
  if (!key) return {};
  sessionStorage.setItem(KEY_STORE, key);
  return { "X-API-Key": key };
}

// One call to the API: the parsed answer (or null), and the status. A 401 shows the key field with its reason.
async function api(method, path, body) {
  await loadConfig();
  const headers = { ...keyHeaders() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${apiUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  let data = null;
  try { data = await response.json(); } catch { /* a 204, or a non-JSON error from a proxy */ }
  if (response.status === 401 && data && data.code === "auth.invalid") sessionStorage.removeItem(KEY_STORE);
  if (response.status === 401) showKeyField();
  else clearErrors($("key-box")); // the key (or none) was taken: what was said of it is over
  return { ok: response.ok, status: response.status, data };
}

function failure(result) {
  return sentence(result.data) || `The service answered ${result.status}. Please try again.`;
}

const UNREACHABLE = "Could not reach the service. Check your connection and try again.";

// ---- The request ---------------------------------------------------------------------------------------

// The studio's options as the API takes them; no format (the preview is a PNG; each download asks for its own).
function requestBody() {
  const form = $("qr-form");
  const kind = currentKind();
  const body = kind ? { content: contentValues(kind) } : { url: form.url.value.trim() };
  for (const name of ["error_correction", "fill_color", "back_color", "module_style", "eye_style"]) body[name] = form[name].value;
  body.border = Number(form.border.value);
  body.size = Number(form.size.value);
  if (form.eye_custom.checked) body.eye_color = form.eye_color.value;
  const caption = form.caption.value.trim();
  if (caption) body.caption = caption;
  if (form.transparent.checked) body.back_color = "transparent";
  if (logoBase64) {
    body.logo = logoBase64;
    body.error_correction = limits.logo_level;
  }
  return body;
}

// The API's rule, with its numbers: the fill must be darker than the background, by the minimum contrast.
function luminance(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= limits.linear_threshold ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

// One rule for the fill and for eyes in their own colour: darker than the background by the minimum
// contrast (a transparent background is judged as the page it sits on). `codes` name the API's errors.
function inkProblem(ink, codes) {
  const transparent = $("transparent").checked;
  const back = transparent ? limits.contrast_reference : $("back_color").value;
  const [dark, light] = [luminance(ink), luminance(back)].sort((a, b) => a - b);
  if ((light + 0.05) / (dark + 0.05) < limits.min_contrast) {
    return sentence({ code: transparent ? codes.transparent : codes.contrast });
  }
  if (luminance(ink) > luminance(back)) return sentence({ code: codes.inverted });
  return null;
}

// The link's host against qr.allowed_hosts, as the service judges it: the URL parser writes an
// internationalised host in punycode, the form the patterns are in. A link it cannot parse is the service's to judge.
function hostProblem(url) {
  if (!allowedHosts.length) return null;
  let host;
  try {
    host = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`).hostname.toLowerCase().replace(/\.$/, "");
  } catch {
    return null;
  }
  const allowed = allowedHosts.some((p) => (p.startsWith("*.") ? host.endsWith(p.slice(1)) && host !== p.slice(2) : host === p));
  return allowed ? null : sentence({ code: "url.host_not_allowed", params: { host, allowed: allowedHosts.join(", ") } });
}

// What the page can tell before asking: [message, field] or null.
// The first part the content still needs: a required one, or one needed unless another part has a value
// (a Wi-Fi password unless the network is open).
function missingPart(kind, values) {
  const needed = (part) => part.required || (part.required_unless && values[part.required_unless[0]] !== part.required_unless[1]);
  return kind.parts.find((part) => needed(part) && values[part.name] === undefined);
}

function localProblem(body) {
  if (body.content) {
    const kind = currentKind();
    const missing = missingPart(kind, body.content);
    if (missing) return [sentence({ code: "content.required", params: { field: `content.${missing.name}` } }), `content.${missing.name}`];
  } else {
    if (!body.url) return [sentence({ code: "url.required" }), "url"];
    const host = hostProblem(body.url);
    if (host) return [host, "url"];
  }
  const fill = inkProblem($("fill_color").value, { contrast: "colors.contrast", transparent: "colors.transparent_contrast", inverted: "colors.inverted" });
  if (fill) return [fill, "fill_color"];
  if ($("eye_custom").checked) {
    const eye = inkProblem($("eye_color").value, { contrast: "colors.eye_contrast", transparent: "colors.eye_transparent_contrast", inverted: "colors.eye_inverted" });
    if (eye) return [eye, "eye_color"];
  }
  return null;
}

// Typing waits for something that could be a link: a scheme and more, or a host with a dot and a top-level name
// (Enter asks for any link at all).
function plausible(url) {
  return /^[a-z][a-z0-9+.-]*:\/\/?[^\s/]+\.[^\s/.]{2,}/i.test(url) || /^[a-z][a-z0-9+.-]*:(?!\/)\S/i.test(url)
    || /^[^\s/:]+\.[a-z0-9-]{2,}(?:[/:?#]|$)/i.test(url);
}

// ---- The live preview ----------------------------------------------------------------------------------

// `shown` is the code on screen: the options it was drawn from (and their signature) and its PNG.
const live = { timer: null, busy: false, again: false, shown: null };
const signature = (body) => JSON.stringify(body);

function setActions(enabled) {
  for (const id of ["download-png", "download-svg", "copy-image", "make-editable"]) $(id).disabled = !enabled;
}

// The options no longer match the code on screen: say so, and let nothing act on it until the new one is in.
function markStale(message) {
  $("canvas").classList.add("stale");
  setActions(false);
  $("qr-status").textContent = message;
}

// No code for these options: none is shown at all.
function clearCode(placeholder) {
  live.shown = null;
  $("qr-image").hidden = true;
  $("qr-image").removeAttribute("src");
  $("placeholder").textContent = placeholder;
  $("placeholder").hidden = false;
  $("canvas").classList.remove("stale");
  $("embed-box").hidden = true;
  $("text-box").hidden = true;
  setActions(false);
  $("resolution").textContent = "The image's width in pixels.";
}

function optionsChanged() {
  clearTimeout(live.timer);
  const body = requestBody();
  if (live.shown && signature(body) === live.shown.signature) {
    $("canvas").classList.remove("stale");
    setActions(true);
    $("qr-status").textContent = readyText(live.shown.body);
    return;
  }
  if (live.shown) markStale("Updating the code for your changes…");
  live.timer = setTimeout(refresh, DEBOUNCE_MS);
}

function readyText(body) {
  if (body.content) return `Ready, and read back: this ${describe(body).split(":")[0]} code holds exactly the text below.`;
  return `Ready, and read back: this code scans to ${body.url}.`;
}

// Ask for the preview of the current options: at most one request in flight; when it answers, a newer set of
// options wins (the answer is dropped and the newest options are asked for).
async function refresh({ submitted = false } = {}) {
  clearTimeout(live.timer);
  if (live.busy) {
    live.again = true;
    return;
  }
  await loadConfig().catch(() => {});
  if (!limits) return showError("config.json is missing: the page does not know where the API is.");
  const body = requestBody();
  const wanted = signature(body);
  if (live.shown && wanted === live.shown.signature) return optionsChanged();
  clearErrors($("studio"));
  if (body.content) {
    const missing = missingPart(currentKind(), body.content);
    if (!submitted && missing) return clearCode(`Fill in ${missing.label} to see the code.`);
  } else {
    if (!submitted && !body.url) return clearCode("Your code appears here as you type a link.");
    if (!submitted && !plausible(body.url)) return clearCode("Keep typing: the code appears once this looks like a link.");
  }
  const problem = localProblem(body);
  if (problem) {
    clearCode("Fix the marked option to see the code.");
    $("qr-status").textContent = "";
    return showError(problem[0], problem[1], { focus: submitted });
  }
  live.busy = true;
  try {
    const result = await api("POST", "/qr", { ...body, format: "png", preview: true });
    if (signature(requestBody()) !== wanted) return; // the options moved on while it was drawn
    if (!result.ok) {
      clearCode("Fix the marked option to see the code.");
      $("qr-status").textContent = "";
      const field = result.status === 401 ? "api_key" : result.data && result.data.field;
      return showError(failure(result), field, { focus: submitted });
    }
    await show(body, wanted, result.data.data_uri, result.data.text);
  } catch {
    clearCode("The code could not be drawn.");
    showError(UNREACHABLE);
  } finally {
    live.busy = false;
    if (live.again) {
      live.again = false;
      refresh();
    }
  }
}

async function show(body, wanted, dataUri, text) {
  const image = $("qr-image");
  image.src = dataUri;
  await image.decode().catch(() => {});
  image.alt = `QR code for ${describe(body)}`;
  $("text-box").hidden = !body.content;
  $("encoded").textContent = text || "";
  image.hidden = false;
  $("placeholder").hidden = true;
  $("canvas").classList.remove("stale");
  live.shown = { body, signature: wanted, dataUri };
  $("resolution").textContent = `${image.naturalWidth} × ${image.naturalHeight} pixels${body.caption ? ", the caption included" : ""}.`;
  $("qr-status").textContent = readyText(body);
  const snippet = embedSnippet(body);
  $("embed-box").hidden = !snippet;
  $("embed").value = snippet || "";
  setActions(true);
  markPreset();
}

// ---- Downloads, copy, embed ----------------------------------------------------------------------------

// A download named after the link, such as qr-example.com.png, or after the content (qr-wifi-Cafe-Guest.png).
function downloadName(body, format) {
  if (body.content) {
    const safe = describe(body).split(":").slice(1).join(":").trim().replace(/[^A-Za-z0-9.-]+/g, "-").replace(/^[-.]+|[-.]+$/g, "").slice(0, 40);
    return `qr-${body.content.type}${safe ? `-${safe}` : ""}.${format}`;
  }
  const url = body.url;
  let host = url;
  try { host = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`).hostname; } catch { /* keep url */ }
  const safe = host.replace(/[^A-Za-z0-9.-]+/g, "-").replace(/^[-.]+|[-.]+$/g, "").slice(0, 60) || "code";
  return `qr-${safe}.${format}`;
}

function dataUriBlob(dataUri) {
  const [head, data] = dataUri.split(",", 2);
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type: head.slice(5).split(";")[0] });
}

function saveBlob(blob, name) {
  const link = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

// Both act on the code on screen: the PNG is its very bytes, the SVG is drawn from its options.
async function downloadPng() {
  const shown = live.shown;
  if (shown) saveBlob(dataUriBlob(shown.dataUri), downloadName(shown.body, "png"));
}

async function downloadSvg() {
  const shown = live.shown;
  if (!shown) return;
  const button = $("download-svg");
  button.disabled = true;
  try {
    const result = await api("POST", "/qr", { ...shown.body, format: "svg", preview: true });
    if (!result.ok) return showError(failure(result));
    saveBlob(dataUriBlob(result.data.data_uri), downloadName(shown.body, "svg"));
  } catch {
    showError(UNREACHABLE);
  } finally {
    button.disabled = live.shown !== shown || $("canvas").classList.contains("stale");
  }
}

async function copyImage() {
  const shown = live.shown;
  if (!shown) return;
  try {
    await navigator.clipboard.write([new ClipboardItem({ "image/png": dataUriBlob(shown.dataUri) })]);
    $("qr-status").textContent = "The image is on the clipboard.";
  } catch {
    $("qr-status").textContent = "This browser does not let the page copy images: use Download PNG.";
  }
}

// The stable embed: GET /qr with the same options, which answers the image itself and makes it again once
// the stored one has expired. Not for a logo (a query string cannot carry it) or where a key is needed.
function embedSnippet(body) {
  if (body.logo || body.content || keyRequired) return null; // a query string carries neither a logo nor content
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(body)) {
    const field = limits.fields[name] || {};
    if (name === "url" || value !== field.default) query.set(name, String(value)); // a default says nothing
  }
  const src = new URL(`${apiUrl}/qr?${query.toString()}`, location.href).href;
  const alt = `QR code for ${body.url}`.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");
  return `<img src="${src.replaceAll("&", "&amp;")}" alt="${alt}">`;
}

async function copyText(button, text, label) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
  } catch {
    $("embed").select();
  }
  setTimeout(() => { button.textContent = label; }, 1500);
}

// ---- Presets -------------------------------------------------------------------------------------------

function setField(name, value) {
  const field = $(name);
  if (typeof value === "boolean") field.checked = value;
  else field.value = value;
}

function applyPreset(preset) {
  for (const [name, value] of Object.entries(preset.fields)) setField(name, value);
  $("transparent").checked = false;
  syncControls();
  markPreset();
  optionsChanged();
}

// The preset whose fields all match the form is pressed; after any other change, none is.
function markPreset() {
  for (const button of document.querySelectorAll("#presets button")) {
    const preset = PRESETS[Number(button.dataset.index)];
    const same = Object.entries(preset.fields).every(([name, value]) =>
      (typeof value === "boolean" ? $(name).checked === value : $(name).value === value) || (name === "eye_color" && !preset.fields.eye_custom));
    button.setAttribute("aria-pressed", String(same && !$("transparent").checked));
  }
}

function buildPresets() {
  PRESETS.forEach((preset, index) => {
    const button = el("button", { type: "button", class: "preset", "aria-pressed": "false", "data-index": index, text: preset.name });
    button.addEventListener("click", () => applyPreset(preset));
    $("presets").append(button);
  });
}

// ---- The logo ------------------------------------------------------------------------------------------

function bytesToBase64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function clearLogo() {
  logoBase64 = null;
  $("logo").value = "";
  $("logo-chosen").hidden = true;
  $("error_correction").disabled = false;
  optionsChanged();
}

// The file is checked here first (type and size), drawn into the preview, and kept as base64.
async function chooseLogo() {
  const file = $("logo").files[0];
  clearErrors($("studio"));
  if (!file) return clearLogo();
  await loadConfig();
  const refuse = (code, params) => {
    logoBase64 = null;
    $("logo").value = "";
    $("logo-chosen").hidden = true;
    $("error_correction").disabled = false;
    showError(sentence({ code, params }), "logo");
  };
  if (!limits.logo_types.includes(file.type)) return refuse("logo.image_type");
  if (file.size > limits.max_logo_bytes) return refuse("logo.bytes", { bytes: file.size, limit: limits.max_logo_bytes });
  try {
    const bitmap = await createImageBitmap(file);
    const canvas = $("logo-preview");
    const scale = Math.min(canvas.width / bitmap.width, canvas.height / bitmap.height);
    const context = canvas.getContext("2d");
    context.clearRect(0, 0, canvas.width, canvas.height);
    const w = bitmap.width * scale, h = bitmap.height * scale;
    context.drawImage(bitmap, (canvas.width - w) / 2, (canvas.height - h) / 2, w, h);
  } catch {
    return refuse("logo.unreadable");
  }
  logoBase64 = bytesToBase64(new Uint8Array(await file.arrayBuffer()));
  $("error_correction").value = limits.logo_level;
  $("error_correction").disabled = true;
  $("logo-chosen").hidden = false;
  optionsChanged();
}

// ---- Controls that follow one another ------------------------------------------------------------------

// Without their own colour the eyes are drawn in the fill: the swatch shows that, not a colour never used.
function syncControls() {
  $("eye_color").disabled = !$("eye_custom").checked;
  if (!$("eye_custom").checked) $("eye_color").value = $("fill_color").value;
  $("back_color").disabled = $("transparent").checked;
}

// ---- Views ---------------------------------------------------------------------------------------------

function showView() {
  const view = ["#codes", "#batch"].includes(location.hash) ? location.hash.slice(1) : "studio";
  for (const name of ["studio", "batch", "codes"]) {
    $(name).hidden = name !== view;
    $(`nav-${name}`).toggleAttribute("aria-current", name === view);
  }
  if (view !== "codes") return;
  showKeyField();
  if (currentKey()) loadCodes();
  else {
    $("codes-status").textContent = "Enter your API key above, then choose Show my codes.";
    $("api_key").focus();
  }
}

// ---- Make it editable ----------------------------------------------------------------------------------

async function makeEditable() {
  const shown = live.shown;
  if (!shown) return;
  clearErrors($("studio"));
  if (!currentKey()) {
    showKeyField();
    return showError("Enter your API key to make codes you can edit later.", "api_key", { focus: true });
  }
  const { url, ...style } = shown.body;
  const button = $("make-editable");
  button.disabled = true;
  try {
    const result = await api("POST", "/codes", { target: url, ...style });
    if (!result.ok) {
      const field = result.status === 401 ? "api_key" : result.data && result.data.field === "target" ? "url" : result.data && result.data.field;
      return showError(failure(result), field, { focus: true });
    }
    justMade = result.data.id;
    location.hash = "#codes";
  } catch {
    showError(UNREACHABLE);
  } finally {
    button.disabled = !live.shown || $("canvas").classList.contains("stale");
  }
}

// ---- My codes ------------------------------------------------------------------------------------------

let nextToken = null;
let justMade = null; // the id of a code the studio has just made: announced and focused once listed

function dayList(recent) {
  const counts = new Map(recent.per_day.map((day) => [day.date, day]));
  const today = new Date();
  const days = [];
  for (let age = recent.days - 1; age >= 0; age -= 1) {
    const date = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - age)).toISOString().slice(0, 10);
    const day = counts.get(date) || { scans: 0, bots: 0 };
    days.push({ date, scans: day.scans, bots: day.bots });
  }
  return days;
}

const shortDate = (iso) => new Date(`${iso}T00:00:00Z`).toLocaleDateString(undefined, { day: "numeric", month: "short", timeZone: "UTC" });

// A bar per day, people below and bots stacked above; its name says what it shows, the table gives the numbers.
function chart(code) {
  const recent = code.recent_scans;
  const days = dayList(recent);
  const top = Math.max(1, ...days.map((day) => day.scans + day.bots));
  const width = 300, height = 80, slot = width / days.length;
  const svg = el("svg", {
    class: "chart", viewBox: `0 0 ${width} ${height + 1}`, preserveAspectRatio: "none", role: "img", focusable: "false",
    "aria-label": `Scans per day over the last ${recent.days} days: ${recent.scans} by people, ${recent.bots} by bots. The numbers are in the table below.`,
  });
  days.forEach((day, index) => {
    const people = (day.scans / top) * height, bots = (day.bots / top) * height;
    const x = index * slot + 1;
    if (people) svg.append(el("rect", { class: "people", x, y: height - people, width: slot - 2, height: people }));
    if (bots) svg.append(el("rect", { class: "bots", x, y: height - people - bots, width: slot - 2, height: bots }));
  });
  svg.append(el("line", { class: "axis", x1: 0, x2: width, y1: height + 0.5, y2: height + 0.5 }));
  const rows = days.filter((day) => day.scans || day.bots).map((day) =>
    el("tr", {}, el("th", { scope: "row", text: shortDate(day.date) }), el("td", { text: day.scans }), el("td", { text: day.bots })));
  const table = rows.length
    ? el("table", {}, el("caption", { text: `Scans per day, last ${recent.days} days (days without scans left out)` }),
        el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Day" }), el("th", { scope: "col", text: "People" }), el("th", { scope: "col", text: "Bots" }))),
        el("tbody", {}, ...rows))
    : el("p", { text: `No scans in the last ${recent.days} days.` });
  return el("div", { class: "chart-box" },
    svg,
    el("p", { class: "chart-scale" }, el("span", { text: shortDate(days[0].date) }), el("span", { text: `most in a day: ${top}` }), el("span", { text: "today" })),
    el("p", { class: "legend" }, el("span", { class: "key people" }), " People ", el("span", { class: "key bots" }), " Bots"),
    el("details", {}, el("summary", { text: "Scans per day as a table" }), table));
}

function codeCard(code) {
  const card = el("li", { class: "code-card", id: `code-${code.id}`, tabindex: "-1", "aria-labelledby": `title-${code.id}` });
  const recent = code.recent_scans;
  const targetId = `target-${code.id}`;
  const edit = el("form", { class: "edit", novalidate: true },
    el("label", { for: targetId, text: "Where it sends people" }),
    el("div", { class: "edit-row" },
      el("input", { id: targetId, type: "text", inputmode: "url", spellcheck: "false", value: code.target }),
      el("button", { type: "submit", class: "secondary", text: "Save" })));
  edit.addEventListener("submit", (event) => { event.preventDefault(); changeCode(code, { target: $(targetId).value.trim() }, targetId); });
  const toggle = el("button", { type: "button", class: "secondary", text: code.active ? "Switch off" : "Switch on" });
  toggle.addEventListener("click", () => changeCode(code, { active: !code.active }));
  const remove = el("button", { type: "button", class: "danger", text: "Delete" });
  remove.addEventListener("click", () => deleteCode(code));
  const name = code.short_url.replace(/^https?:\/\//, "");
  card.append(
    el("img", { class: "code-image", src: code.png_url, alt: `QR code for ${code.short_url}`, width: 120, height: 120 }),
    el("div", { class: "code-body" },
      el("h3", { id: `title-${code.id}` }, el("a", { href: code.short_url, text: name })),
      el("p", { class: "target" }, "Opens ", el("a", { href: code.target, rel: "noopener", text: code.target })),
      el("p", { class: "state" }, el("strong", { text: code.active ? "Active" : "Switched off" }),
        ` · ${recent.scans} ${recent.scans === 1 ? "scan" : "scans"} by people, ${recent.bots} by bots in the last ${recent.days} days`),
      chart(code),
      edit,
      el("div", { class: "actions" },
        el("a", { class: "button", href: code.png_url, download: `qr-${code.id}.png`, text: "Download PNG" }),
        el("a", { class: "button", href: code.svg_url, download: `qr-${code.id}.svg`, text: "Download SVG" }),
        toggle, remove)));
  return card;
}

let codesLoading = false;
async function loadCodes({ more = false } = {}) {
  if (codesLoading) return;
  clearErrors($("codes"));
  if (!currentKey()) {
    showKeyField();
    return showError("Enter your API key to see your codes.", "api_key", { focus: true, general: "codes-error" });
  }
  $("codes-status").textContent = "Loading your codes…";
  codesLoading = true;
  try {
    const result = await api("GET", more && nextToken ? `/codes?next=${encodeURIComponent(nextToken)}` : "/codes");
    if (!result.ok) {
      $("codes-status").textContent = "";
      return showError(failure(result), result.status === 401 ? "api_key" : null, { focus: result.status === 401, general: "codes-error" });
    }
    if (!more) $("code-list").replaceChildren();
    for (const code of result.data.codes) $("code-list").append(codeCard(code));
    nextToken = result.data.next;
    $("codes-more").hidden = !nextToken;
    const count = $("code-list").children.length;
    $("codes-status").textContent = count ? `${count} ${count === 1 ? "code" : "codes"}, newest first.` : "No codes yet: make one in the studio with Make it editable.";
    if (justMade && $(`code-${justMade}`)) {
      $("codes-status").textContent = `Made ${result.data.codes.find((c) => c.id === justMade).short_url}: print it, and change where it sends people here.`;
      $(`code-${justMade}`).focus();
      justMade = null;
    }
  } catch {
    $("codes-status").textContent = "";
    showError(UNREACHABLE, null, { general: "codes-error" });
  } finally {
    codesLoading = false;
  }
}

async function changeCode(code, changes, fieldId) {
  clearErrors($("codes"));
  try {
    const result = await api("PATCH", `/codes/${code.id}`, changes);
    if (!result.ok) return showError(failure(result), result.status === 401 ? "api_key" : fieldId, { focus: true, general: "codes-error" });
    const card = codeCard({ ...result.data, recent_scans: code.recent_scans });
    $(`code-${code.id}`).replaceWith(card);
    $("codes-status").textContent = "target" in changes ? `Saved: ${result.data.short_url.replace(/^https?:\/\//, "")} now sends people to ${result.data.target}.`
      : `${result.data.active ? "Switched on" : "Switched off"}: ${result.data.short_url}.`;
    card.focus();
  } catch {
    showError(UNREACHABLE, null, { general: "codes-error" });
  }
}

async function deleteCode(code) {
  if (!window.confirm(`Delete ${code.short_url}? Printed copies will say the link is gone. This cannot be undone.`)) return;
  clearErrors($("codes"));
  try {
    const result = await api("DELETE", `/codes/${code.id}`);
    if (!result.ok) return showError(failure(result), null, { general: "codes-error" });
    $(`code-${code.id}`).remove();
    $("codes-status").textContent = `Deleted ${code.short_url}.`;
    $("codes-title").focus();
  } catch {
    showError(UNREACHABLE, null, { general: "codes-error" });
  }
}

// ---- Many at once: a CSV file, POST /qr/batch, each row's result and the ZIP -----------------------------

// RFC 4180 rows: a quoted field may hold commas, doubled quotes and line breaks; blank lines are left out.
function csvRows(text) {
  const rows = [];
  let row = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 1; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(field); field = ""; }
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i += 1;
      row.push(field); rows.push(row); row = []; field = "";
    } else field += c;
  }
  if (field !== "" || row.length) { row.push(field); rows.push(row); }
  return rows.filter((cells) => cells.some((cell) => cell.trim() !== ""));
}

// A row as a batch item: a link when its url cell has one, else the content of its type, each part as declared.
function csvItem(header, cells) {
  const value = (name) => { const i = header.indexOf(name); return i < 0 ? "" : (cells[i] || "").trim(); };
  const item = value("name") ? { name: value("name") } : {};
  if (value("url") || !header.includes("type")) return { ...item, url: value("url") };
  const kind = kinds.find((k) => k.name === value("type").toLowerCase());
  if (!kind) return { ...item, content: { type: value("type") } }; // the service names the types it takes
  const content = { type: kind.name };
  for (const part of kind.parts) {
    const raw = value(part.name);
    if (raw === "") continue;
    if (part.type === "number") content[part.name] = Number(raw);
    else if (part.type === "boolean") content[part.name] = /^(true|yes|1)$/i.test(raw);
    else content[part.name] = raw;
  }
  return { ...item, content };
}

function batchRow(index, name, result) {
  const cell = result.error
    ? el("td", { class: "error-text", text: sentence(result.error) || result.error.message })
    : el("td", {}, "Made: ", el("a", { href: result.qr_code_url, text: "the image" }));
  return el("tr", {}, el("th", { scope: "row", text: index + 1 }), el("td", { text: name || "" }), cell);
}

async function makeBatch(event) {
  event.preventDefault();
  clearErrors($("batch"));
  $("batch-results").hidden = true;
  $("batch-zip-box").hidden = true;
  const file = $("batch-file").files[0];
  if (!file) return showError("Choose a CSV file first.", "batch-file", { focus: true, general: "batch-error" });
  await loadConfig();
  const [header = [], ...rows] = csvRows(await file.text());
  const names = header.map((cell) => cell.trim().toLowerCase());
  if (!names.includes("url") && !names.includes("type")) {
    return showError("The first row must name a url column, or a type column and its parts.", "batch-file", { focus: true, general: "batch-error" });
  }
  if (!rows.length || rows.length > limits.batch.max_items) {
    return showError(`The file has ${rows.length} rows of codes; a batch takes 1 to ${limits.batch.max_items}.`, "batch-file", { focus: true, general: "batch-error" });
  }
  const items = rows.map((cells) => csvItem(names, cells));
  const { url, content, ...style } = requestBody(); // every code takes the studio's style
  $("batch-make").disabled = true;
  $("batch-status").textContent = `Making ${items.length} codes…`;
  try {
    const result = await api("POST", "/qr/batch", { ...style, items });
    if (!result.ok) {
      $("batch-status").textContent = "";
      return showError(failure(result), result.status === 401 ? "api_key" : null, { focus: true, general: "batch-error" });
    }
    $("batch-results").tBodies[0].replaceChildren(...result.data.results.map((r) => batchRow(r.index, items[r.index].name, r)));
    $("batch-results").hidden = false;
    if (result.data.zip_url) {
      $("batch-zip").href = result.data.zip_url;
      $("batch-zip").download = "qr-codes.zip";
      $("batch-zip-box").hidden = false;
    }
    $("batch-status").textContent = result.data.message;
  } catch {
    $("batch-status").textContent = "";
    showError(UNREACHABLE, null, { general: "batch-error" });
  } finally {
    $("batch-make").disabled = false;
  }
}

// ---- Wiring --------------------------------------------------------------------------------------------

// Enter asks at once, for any link (the form has no submit button, so Enter is caught here).
$("qr-form").addEventListener("submit", (event) => event.preventDefault());
$("url").addEventListener("keydown", (event) => {
  if (event.key !== "Enter") return;
  event.preventDefault();
  refresh({ submitted: true });
});
$("qr-form").addEventListener("input", (event) => {
  if (event.target.id === "content_type") showType();
  if (event.target.id === "size-slider") $("size").value = $("size-slider").value;
  if (event.target.id === "size") $("size-slider").value = $("size").value;
  if (event.target.type === "file") return;
  syncControls();
  markPreset();
  optionsChanged();
});
$("qr-form").addEventListener("change", (event) => {
  if (event.target.type === "file") return;
  if (event.target.id === "content_type") showType();
  syncControls();
  markPreset();
  optionsChanged();
});
// A new key (Enter in the field, or leaving it): the list is asked for again, and a preview the service refused.
function keyChanged(event) {
  if (event) event.preventDefault();
  if (location.hash === "#codes") loadCodes();
  else if (!live.shown) optionsChanged();
}
$("api_key").addEventListener("change", () => keyChanged());
$("key-box").addEventListener("submit", keyChanged);
$("logo").addEventListener("change", chooseLogo);
$("logo-clear").addEventListener("click", clearLogo);
$("download-png").addEventListener("click", downloadPng);
$("download-svg").addEventListener("click", downloadSvg);
$("copy-image").addEventListener("click", copyImage);
$("make-editable").addEventListener("click", makeEditable);
$("copy-embed").addEventListener("click", () => copyText($("copy-embed"), $("embed").value, "Copy embed"));
$("codes-load").addEventListener("click", () => loadCodes());
$("batch-form").addEventListener("submit", makeBatch);
$("codes-more").addEventListener("click", () => loadCodes({ more: true }));
window.addEventListener("hashchange", showView);

buildPresets();
syncControls();
markPreset();
if (sessionStorage.getItem(KEY_STORE)) showKeyField();
loadConfig().then(() => {
  showView();
  if ($("url").value.trim()) refresh();
}).catch((error) => showError(error.message));
