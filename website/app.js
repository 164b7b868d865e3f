// The page: read the API base from config.json, POST the form to /qr, show the image or the API's message.
"use strict";

const $ = (id) => document.getElementById(id);
let apiUrl = null;
let logoBase64 = null; // the chosen logo file's bytes, base64, as the API takes them
const MAX_LOGO_BYTES = 8 * 1024;

async function loadConfig() {
  const response = await fetch("config.json", { cache: "no-store" });
  if (!response.ok) throw new Error("config.json is missing: the page does not know where the API is.");
  const config = await response.json();
  apiUrl = String(config.apiUrl).replace(/\/+$/, "");
}

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = false;
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
  if (!file) return clearLogo();
  $("error").hidden = true;
  if (!["image/png", "image/jpeg"].includes(file.type)) {
    clearLogo();
    return showError("The logo must be a PNG or JPEG image.");
  }
  if (file.size > MAX_LOGO_BYTES) {
    clearLogo();
    return showError(`The logo is ${Math.ceil(file.size / 1024)} KB; the limit is 8 KB. Choose a smaller image.`);
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
    return showError("The logo could not be read as an image.");
  }
  logoBase64 = bytesToBase64(new Uint8Array(await file.arrayBuffer()));
  $("error_correction").value = "H";
  $("error_correction").disabled = true;
  $("logo-chosen").hidden = false;
}

function showResult(data, url) {
  const expires = new Date(data.expires_at);
  $("qr-image").src = data.qr_code_url;
  $("qr-image").alt = `QR code for ${url}`;
  $("qr-link").href = data.qr_code_url;
  $("qr-link").textContent = data.qr_code_url;
  $("download").href = data.qr_code_url;
  $("qr-status").textContent =
    `${data.cached ? "From the cache" : "Newly generated"} · available until ${expires.toLocaleString()}`;
  $("result").hidden = false;
}

async function generate(event) {
  event.preventDefault();
  $("error").hidden = true;
  const body = requestBody();
  if (!body.url) {
    showError("Enter a link to encode.");
    $("url").focus();
    return;
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
      showError((data && data.message) || `The service answered ${response.status}. Please try again.`);
      $("result").hidden = true;
      return;
    }
    showResult(data, body.url);
  } catch (error) {
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
$("transparent").addEventListener("change", () => { $("back_color").disabled = $("transparent").checked; });
$("copy").addEventListener("click", copyLink);
loadConfig().catch((error) => showError(error.message));
