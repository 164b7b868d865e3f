// The page: read the API base from config.json, POST the form to /qr, show the image or the API's message.
"use strict";

const $ = (id) => document.getElementById(id);
let apiUrl = null;

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
  for (const name of ["format", "error_correction", "fill_color", "back_color"]) body[name] = form[name].value;
  for (const name of ["box_size", "border"]) body[name] = Number(form[name].value);
  return body;
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
$("copy").addEventListener("click", copyLink);
loadConfig().catch((error) => showError(error.message));
