// The interactive API reference: renders /openapi.json and sends requests with the given token.
"use strict";

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const k of kids) e.append(k);
  return e;
}

function operation(path, method, op) {
  const box = el("details", {});
  box.append(el("summary", {}, el("span", { class: "m " + method.toUpperCase() }, method.toUpperCase()), " ",
    el("code", {}, path), " — ", op.summary || ""));
  const params = (op.parameters || []).map((p) => p.name + " (" + p.in + (p.required ? ", required" : "") + ")");
  if (params.length) box.append(el("p", {}, "Parameters: " + params.join(", ")));
  const url = el("input", { value: path, size: "60" });
  const body = el("textarea", { placeholder: "request body (JSON or YAML)" });
  const out = el("pre", {});
  const send = el("button", { type: "button" }, "Send");
  send.addEventListener("click", async () => {
    const headers = {};
    const token = document.getElementById("token").value;
    if (token) headers["Authorization"] = "Bearer " + token;
    const init = { method: method.toUpperCase(), headers };
    if (body.value.trim()) {
      const text = body.value.trim();
      headers["Content-Type"] = text.startsWith("{") || text.startsWith("[") ? "application/json" : "application/yaml";
      init.body = text;
    }
    const r = await fetch(url.value, init);
    const text = await r.text();
    let shown = text;
    try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON */ }
    out.textContent = r.status + " " + r.statusText + "\n\n" + shown;
  });
  box.append(el("p", {}, url, " ", send));
  if (op.requestBody) box.append(body);
  box.append(out);
  return box;
}

async function main() {
  const spec = await (await fetch("/openapi.json")).json();
  document.getElementById("version").textContent = spec.info.version + " · OpenAPI " + spec.openapi;
  const groups = new Map();
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = (op.tags || ["other"])[0];
      if (!groups.has(tag)) groups.set(tag, []);
      groups.get(tag).push(operation(path, method, op));
    }
  }
  const main = document.getElementById("ops");
  main.replaceChildren();
  for (const [tag, items] of groups) main.append(el("h2", {}, tag), ...items);
}

main();
