// The page: read the API base and the request's limits from config.json, POST the form to /qr, show
// the image or say what to fix. The limits are the service's own (qr_service/fields.py), never literals here.
"use strict";

const $ = (id) => document.getElementById(id);
let apiUrl = null;
let limits = null; // config.json's limits: bounds, defaults, the logo's size, the contrast rule
let allowedHosts = []; // config.json's: the hosts links may point to (qr.allowed_hosts, ASCII); empty: any
let keyRequired = false; // config.json's access is "key": a GET embed would need a header an <img> cannot send
let logoBase64 = null; // the chosen logo file's bytes, base64, as the API takes them
const KEY_STORE = "qr.apiKey"; // sessionStorage: this tab only, never the URL

// The API's field names as this page calls them, so that its messages read in the page's words.
const LABELS = {
  url: "Link to encode",
  format: "Format",
  box_size: "Pixels per module",
  border: "Border",
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
  "box_size.type": (p) => `${LABELS.box_size} must be a whole number from ${p.minimum} to ${p.maximum}.`,
  "box_size.range": (p) => `${LABELS.box_size} must be from ${p.minimum} to ${p.maximum}, got ${p.value}.`,
  "box_size.style_minimum": (p) => `${LABELS[p.option] || p.option} ${STYLE_NAMES[p.style] || p.style} needs at least ${p.minimum} pixels per module to scan; raise ${LABELS.box_size}.`,
  "size.too_small": (p) => `${LABELS.size} must be at least ${p.minimum} pixels for this code with ${LABELS[p.option] || p.option} ${STYLE_NAMES[p.style] || p.style}.`,
  "size.with_box_size": () => `Give either ${LABELS.size} or ${LABELS.box_size}, not both.`,
  "colors.eye_contrast": () => `${LABELS.eye_color} and ${LABELS.back_color} are too alike to scan. Pick a darker eye colour.`,
  "colors.eye_transparent_contrast": () => "This eye colour is too light to scan on a white page. Pick a darker one.",
  "colors.eye_inverted": () => "The eye colour must be darker than the background.",
  "caption.length": (p) => `The caption is ${p.length} characters; the limit is ${p.limit}.`,
  "caption.printable": () => "The caption must be plain text on one line.",
  "box_size.image_size": (p) => `The image would be ${p.pixels} pixels wide; the limit is ${p.limit}. Lower ${LABELS.box_size} or ${LABELS.border}.`,
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
  "auth.missing": () => "This service needs an API key: enter the one its owner gave you.",
  "auth.invalid": () => "This API key is not valid: it is unknown or has been revoked. Check it, or ask the owner for a new one.",
  "request.key_rate_limited": () => "This API key has made too many requests: wait a few minutes and try again.",
  "service.storage": () => "The code could not be stored. Please try again in a moment.",
};

// An error in the page's words: its sentence for the code, else the service's own message.
function sentence(error) {
  const write = error && SENTENCES[error.code];
  return write ? write(error.params || {}) : (error && error.message) || null;
}

// The request's bounds and defaults from config.json onto the form's controls.
function applyLimits() {
  for (const name of ["box_size", "border", "size"]) {
    const field = limits.fields[name];
    const input = $(name);
    input.min = String(field.minimum);
    input.max = String(field.maximum);
    if (!input.value && field.default !== undefined) input.value = String(field.default);
  }
  $("caption").maxLength = limits.fields.caption.max_length;
  $("logo-limit").textContent = String(kilobytes(limits.max_logo_bytes));
  $("logo-level").textContent = limits.logo_level;
}

async function loadConfig() {
  const response = await fetch("config.json", { cache: "no-store" });
  if (!response.ok) throw new Error("config.json is missing: the page does not know where the API is.");
  const config = await response.json();
  apiUrl = String(config.apiUrl).replace(/\/+$/, "");
  limits = config.limits;
  allowedHosts = config.allowedHosts || [];
  keyRequired = config.access === "key";
  if (keyRequired) showKeyField();
  const help = $("url-help");
  help.dataset.base ??= help.textContent; // config.json may be read again: say the hosts once
  help.textContent = help.dataset.base + (allowedHosts.length ? ` This site makes codes for links to ${allowedHosts.join(", ")} only.` : "");
  applyLimits();
}

// Errors: at the field they concern (marked invalid and described by the message), or under the button.
function clearErrors() {
  $("error").hidden = true;
  for (const box of document.querySelectorAll(".field-error")) box.remove();
  for (const field of document.querySelectorAll("[aria-invalid]")) {
    field.removeAttribute("aria-invalid");
    const described = (field.getAttribute("aria-describedby") || "").split(" ").filter((id) => !id.endsWith("-error"));
    if (described.length) field.setAttribute("aria-describedby", described.join(" "));
    else field.removeAttribute("aria-describedby");
  }
}

function showError(message, fieldName) {
  const field = fieldName && $(fieldName);
  if (!field) {
    const box = $("error");
    box.textContent = message;
    box.hidden = false;
    return;
  }
  const details = field.closest("details");
  if (details) details.open = true;
  const box = document.createElement("p");
  box.id = `${fieldName}-error`;
  box.className = "error field-error";
  box.setAttribute("role", "alert");
  box.textContent = message;
  (field.closest("label") || field).after(box);
  field.setAttribute("aria-invalid", "true");
  const described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
  field.setAttribute("aria-describedby", [box.id, ...described].join(" "));
  field.focus();
}

// The API key: asked for where the service needs one (config.json's access, or a 401), kept for this tab.
function showKeyField() {
  $("key-box").hidden = false;
  const stored = sessionStorage.getItem(KEY_STORE);
  if (stored && !$("api_key").value) $("api_key").value = stored;
}

function keyHeaders() {
  const key = $("api_key").value.trim();
  if (!key) return {};
  sessionStorage.setItem(KEY_STORE, key);
  return { "X-API-Key": key };
}

function hideResult() {
  $("result").hidden = true;
  $("qr-image").removeAttribute("src");
}

function requestBody() {
  const form = $("qr-form");
  const body = { url: form.url.value.trim() };
  for (const name of ["format", "error_correction", "fill_color", "back_color", "module_style", "eye_style"]) {
    body[name] = form[name].value;
  }
  for (const name of ["box_size", "border"]) body[name] = Number(form[name].value);
  if (form.size.value.trim()) {
    body.size = Number(form.size.value); // the API works out the pixels per module
    delete body.box_size;
  }
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

function colourProblem() {
  if (!limits) return null; // the service checks it anyway
  return inkProblem($("fill_color").value, {
    contrast: "colors.contrast", transparent: "colors.transparent_contrast", inverted: "colors.inverted",
  });
}

function eyeProblem() {
  if (!limits || !$("eye_custom").checked) return null;
  return inkProblem($("eye_color").value, {
    contrast: "colors.eye_contrast", transparent: "colors.eye_transparent_contrast", inverted: "colors.eye_inverted",
  });
}

function checkColours() {
  clearErrors();
  const problem = colourProblem();
  if (problem) return showError(problem, "fill_color");
  const eye = eyeProblem();
  if (eye) showError(eye, "eye_color");
}

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
}

// The file is checked here first (type and size), drawn into the preview, and kept as base64.
async function chooseLogo() {
  const file = $("logo").files[0];
  clearErrors();
  if (!file) return clearLogo();
  if (!limits) await loadConfig();
  if (!limits.logo_types.includes(file.type)) {
    clearLogo();
    return showError(sentence({ code: "logo.image_type" }), "logo");
  }
  if (file.size > limits.max_logo_bytes) {
    clearLogo();
    return showError(sentence({ code: "logo.bytes", params: { bytes: file.size, limit: limits.max_logo_bytes } }), "logo");
  }
  try {
    const bitmap = await createImageBitmap(file);
    const canvas = $("logo-preview");
    const scale = Math.min(canvas.width / bitmap.width, canvas.height / bitmap.height);
    const context = canvas.getContext("2d");
    context.clearRect(0, 0, canvas.width, canvas.height);
    const w = bitmap.width * scale, h = bitmap.height * scale;
    context.drawImage(bitmap, (canvas.width - w) / 2, (canvas.height - h) / 2, w, h);
  } catch {
    clearLogo();
    return showError(sentence({ code: "logo.unreadable" }), "logo");
  }
  logoBase64 = bytesToBase64(new Uint8Array(await file.arrayBuffer()));
  $("error_correction").value = limits.logo_level;
  $("error_correction").disabled = true;
  $("logo-chosen").hidden = false;
}

// A download named after the link, such as qr-example.com.png, rather than the image's hash.
function downloadName(url, format) {
  let host = url;
  try { host = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`).hostname; } catch { /* keep url */ }
  const safe = host.replace(/[^A-Za-z0-9.-]+/g, "-").replace(/^[-.]+|[-.]+$/g, "").slice(0, 60) || "code";
  return `qr-${safe}.${format}`;
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

// The stable embed: GET /qr with the same options, which answers the image itself and makes it again once
// the stored one has expired. Not for a logo (a query string cannot carry it) or where a key is needed.
function embedSnippet(body) {
  if (body.logo || keyRequired) return null;
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(body)) {
    const field = limits.fields[name] || {};
    if (name === "url" || value !== field.default) query.set(name, String(value)); // a default says nothing
  }
  const src = `${apiUrl}/qr?${query.toString()}`;
  const alt = `QR code for ${body.url}`.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");
  return `<img src="${src.replaceAll("&", "&amp;")}" alt="${alt}">`;
}

function showResult(data, url, format, body) {
  const expires = new Date(data.expires_at);
  $("qr-image").src = data.qr_code_url;
  $("qr-image").alt = `QR code for ${url}`;
  $("qr-link").href = data.qr_code_url;
  $("qr-link").textContent = data.qr_code_url;
  $("download").href = data.qr_code_url;
  $("download").download = downloadName(url, format);
  const made = data.cached ? "Ready: this code was made earlier and is reused" : "Ready: a new code was made";
  $("qr-status").textContent = `${made}. It works until ${expires.toLocaleString()}.`;
  const snippet = embedSnippet(body);
  $("embed-box").hidden = !snippet;
  $("embed").value = snippet || "";
  $("result").hidden = false;
  $("announce").textContent = `QR code ready for ${url}.`;
  $("result").scrollIntoView({ behavior: "smooth", block: "start" });
}

async function generate(event) {
  event.preventDefault();
  clearErrors();
  $("announce").textContent = "";
  const body = requestBody();
  if (!body.url) {
    hideResult();
    return showError(sentence({ code: "url.required" }), "url");
  }
  if (!limits) await loadConfig();
  const hostIssue = hostProblem(body.url);
  if (hostIssue) {
    hideResult();
    return showError(hostIssue, "url");
  }
  const problem = colourProblem();
  if (problem) {
    hideResult();
    return showError(problem, "fill_color");
  }
  const eye = eyeProblem();
  if (eye) {
    hideResult();
    return showError(eye, "eye_color");
  }
  const button = $("generate");
  button.disabled = true;
  button.textContent = "Generating…";
  try {
    if (!apiUrl) await loadConfig();
    const response = await fetch(`${apiUrl}/qr`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...keyHeaders() },
      body: JSON.stringify(body),
    });
    let data = null;
    try { data = await response.json(); } catch { /* a non-JSON error from a proxy */ }
    if (!response.ok) {
      hideResult();
      const message = sentence(data) || `The service answered ${response.status}. Please try again.`;
      if (response.status === 401) {
        if (data && data.code === "auth.invalid") sessionStorage.removeItem(KEY_STORE);
        showKeyField();
        return showError(message, "api_key");
      }
      return showError(message, data && data.field);
    }
    showResult(data, body.url, body.format, body);
  } catch (error) {
    hideResult();
    showError(error instanceof TypeError ? "Could not reach the service. Check your connection and try again." : error.message);
  } finally {
    button.disabled = false;
    button.textContent = "Generate";
  }
}

async function copyLink() {
  const link = $("qr-link").href;
  try {
    await navigator.clipboard.writeText(link);
    $("copy").textContent = "Copied";
  } catch {
    window.prompt("Copy this link:", link);
  }
  setTimeout(() => { $("copy").textContent = "Copy link"; }, 1500);
}

$("qr-form").addEventListener("submit", generate);
$("logo").addEventListener("change", chooseLogo);
$("logo-clear").addEventListener("click", clearLogo);
$("transparent").addEventListener("change", () => {
  $("back_color").disabled = $("transparent").checked;
  checkColours();
});
// Without their own colour the eyes are drawn in the fill: the swatch shows that, not a colour never used.
function showEyeColour() {
  if (!$("eye_custom").checked) $("eye_color").value = $("fill_color").value;
}
$("fill_color").addEventListener("change", () => {
  showEyeColour();
  checkColours();
});
$("eye_color").addEventListener("change", checkColours);
$("eye_custom").addEventListener("change", () => {
  $("eye_color").disabled = !$("eye_custom").checked;
  showEyeColour();
  checkColours();
});
showEyeColour();
$("back_color").addEventListener("change", checkColours);
$("copy").addEventListener("click", copyLink);
$("copy-embed").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText($("embed").value);
    $("copy-embed").textContent = "Copied";
  } catch {
    $("embed").select();
  }
  setTimeout(() => { $("copy-embed").textContent = "Copy embed"; }, 1500);
});
if (sessionStorage.getItem(KEY_STORE)) showKeyField();
loadConfig().catch((error) => showError(error.message));
