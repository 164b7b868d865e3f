// The page: read the API base from config.json, POST the form to /qr, show the image or say what to fix.
"use strict";

const $ = (id) => document.getElementById(id);
let apiUrl = null;
let logoBase64 = null; // the chosen logo file's bytes, base64, as the API takes them
const MAX_LOGO_BYTES = 8 * 1024;
const MIN_CONTRAST = 3;

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
};

async function loadConfig() {
  const response = await fetch("config.json", { cache: "no-store" });
  if (!response.ok) throw new Error("config.json is missing: the page does not know where the API is.");
  const config = await response.json();
  apiUrl = String(config.apiUrl).replace(/\/+$/, "");
}

function inPageWords(message) {
  let text = message;
  for (const [name, label] of Object.entries(LABELS)) {
    text = text.replace(new RegExp(`'?\\b${name}\\b'?`, "g"), label);
  }
  return text;
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

function hideResult() {
  $("result").hidden = true;
  $("qr-image").removeAttribute("src");
}

function requestBody() {
  const form = $("qr-form");
  const body = { url: form.url.value.trim() };
  for (const name of ["format", "error_correction", "fill_color", "back_color", "module_style"]) {
    body[name] = form[name].value;
  }
  for (const name of ["box_size", "border"]) body[name] = Number(form[name].value);
  if (form.transparent.checked) body.back_color = "transparent";
  if (logoBase64) {
    body.logo = logoBase64;
    body.error_correction = "H";
  }
  return body;
}

// The same rule as the API's: the fill must be darker than the background, by a contrast of 3:1.
function luminance(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function colourProblem() {
  const fill = $("fill_color").value;
  const back = $("transparent").checked ? "#ffffff" : $("back_color").value;
  const [dark, light] = [luminance(fill), luminance(back)].sort((a, b) => a - b);
  if ((light + 0.05) / (dark + 0.05) < MIN_CONTRAST) {
    return $("transparent").checked
      ? "This colour is too light to scan on a white page. Pick a darker colour."
      : "Colour and Background are too alike to scan. Pick a darker colour or a lighter background.";
  }
  if (luminance(fill) > luminance(back)) {
    return "The colour must be darker than the background: many phone scanners cannot read light codes on dark.";
  }
  return null;
}

function checkColours() {
  clearErrors();
  const problem = colourProblem();
  if (problem) showError(problem, "fill_color");
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
  if (!["image/png", "image/jpeg"].includes(file.type)) {
    clearLogo();
    return showError("The logo must be a PNG or JPEG image.", "logo");
  }
  if (file.size > MAX_LOGO_BYTES) {
    clearLogo();
    return showError(`The logo is ${Math.ceil(file.size / 1024)} KB; the limit is 8 KB. Choose a smaller image.`, "logo");
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
    return showError("The logo could not be read as an image.", "logo");
  }
  logoBase64 = bytesToBase64(new Uint8Array(await file.arrayBuffer()));
  $("error_correction").value = "H";
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

function showResult(data, url, format) {
  const expires = new Date(data.expires_at);
  $("qr-image").src = data.qr_code_url;
  $("qr-image").alt = `QR code for ${url}`;
  $("qr-link").href = data.qr_code_url;
  $("qr-link").textContent = data.qr_code_url;
  $("download").href = data.qr_code_url;
  $("download").download = downloadName(url, format);
  const made = data.cached ? "Ready: this code was made earlier and is reused" : "Ready: a new code was made";
  $("qr-status").textContent = `${made}. It works until ${expires.toLocaleString()}.`;
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
    return showError("Enter a link to encode.", "url");
  }
  const problem = colourProblem();
  if (problem) {
    hideResult();
    return showError(problem, "fill_color");
  }
  const button = $("generate");
  button.disabled = true;
  button.textContent = "Generating…";
  try {
    if (!apiUrl) await loadConfig();
    const response = await fetch(`${apiUrl}/qr`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    let data = null;
    try { data = await response.json(); } catch { /* a non-JSON error from a proxy */ }
    if (!response.ok) {
      hideResult();
      const message = (data && data.message) || `The service answered ${response.status}. Please try again.`;
      return showError(inPageWords(message), data && data.field);
    }
    showResult(data, body.url, body.format);
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
$("fill_color").addEventListener("change", checkColours);
$("back_color").addEventListener("change", checkColours);
$("copy").addEventListener("click", copyLink);
loadConfig().catch((error) => showError(error.message));
