// dynacond's web console. Plain JavaScript, no dependencies: every call is
// DynamoDB's own protocol on this endpoint (POST / with X-Amz-Target) or a
// dynacond control call (/dynacond/...). Item contents are only ever set as
// text (textContent), never as markup.
"use strict";

const TARGET = "DynamoDB_20120810.";
const $ = (id) => document.getElementById(id);

// ---------- calls ----------

class CallError extends Error {
  constructor(status, type, message) {
    super(message || type || "HTTP " + status);
    this.status = status;
    this.type = type;
  }
  describe() {
    const type = this.type ? this.type.split("#").pop() : "HTTP " + this.status;
    return this.message && this.message !== this.type ? type + ": " + this.message : type;
  }
}

async function answer(response) {
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : {}; } catch (_) { body = null; }
  if (!response.ok) {
    const type = body && body.__type;
    const message = body && (body.message || body.Message);
    throw new CallError(response.status, type, message || (body ? "" : text.slice(0, 300)));
  }
  if (body === null) throw new CallError(response.status, "", "the answer is not JSON");
  return body;
}

async function ddb(operation, request) {
  const response = await fetch("/", {
    method: "POST",
    headers: { "X-Amz-Target": TARGET + operation, "Content-Type": "application/x-amz-json-1.0" },
    body: JSON.stringify(request),
  });
  return answer(response);
}

async function control(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  return answer(await fetch("/dynacond/" + path, init));
}

// ---------- small helpers ----------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function say(id, text, kind) {
  const el = $(id);
  el.textContent = text || "";
  el.className = "status" + (kind ? " " + kind : "");
  el.setAttribute("role", kind === "error" ? "alert" : "status");
}

function fail(id, e) {
  say(id, e instanceof CallError ? e.describe() : String(e.message || e), "error");
}

function parseJsonField(id, what) {
  const text = $(id).value.trim();
  if (!text) return undefined;
  try { return JSON.parse(text); } catch (e) { throw new Error(what + " is not valid JSON: " + e.message); }
}

function bytes(n) {
  if (n < 1024) return n + " B";
  if (n < 1048576) return (n / 1024).toFixed(1) + " KB";
  return (n / 1048576).toFixed(1) + " MB";
}

function pretty(value) { return JSON.stringify(value, null, 2); }

// ---------- DynamoDB JSON <-> plain JSON ----------

// A compact one-line rendering of an attribute value for a grid cell.
function show(av) {
  if (!av || typeof av !== "object") return "";
  const [type, v] = Object.entries(av)[0] || [];
  switch (type) {
    case "S": case "N": return String(v);
    case "B": return "<binary " + String(v).length + " b64>";
    case "BOOL": return String(v);
    case "NULL": return "null";
    case "SS": case "NS": return "{" + v.join(", ") + "}";
    case "BS": return "{" + v.length + " binaries}";
    case "L": return "[" + v.map(show).join(", ") + "]";
    case "M": return "{" + Object.entries(v).map(([k, x]) => k + ": " + show(x)).join(", ") + "}";
    default: return JSON.stringify(av);
  }
}

function typeOf(av) { return av && typeof av === "object" ? Object.keys(av)[0] || "" : ""; }

// DynamoDB JSON to plain JSON text. Numbers keep their exact text; sets
// become lists and binaries base64 strings (plain JSON has neither), which
// `lossy` reports.
function toPlainText(item, indent = "") {
  const lossy = new Set();
  const value = (av, pad) => {
    const [type, v] = Object.entries(av || {})[0] || [];
    const inner = pad + "  ";
    switch (type) {
      case "S": return JSON.stringify(v);
      case "N": return String(v);
      case "BOOL": return v ? "true" : "false";
      case "NULL": return "null";
      case "B": lossy.add("binary"); return JSON.stringify(v);
      case "SS": lossy.add("set"); return "[" + v.map((s) => JSON.stringify(s)).join(", ") + "]";
      case "NS": lossy.add("set"); return "[" + v.join(", ") + "]";
      case "BS": lossy.add("set"); lossy.add("binary"); return "[" + v.map((s) => JSON.stringify(s)).join(", ") + "]";
      case "L": return v.length ? "[\n" + v.map((x) => inner + value(x, inner)).join(",\n") + "\n" + pad + "]" : "[]";
      case "M": return object(v, pad);
      default: return "null";
    }
  };
  const object = (map, pad) => {
    const entries = Object.entries(map);
    if (!entries.length) return "{}";
    const inner = pad + "  ";
    return "{\n" + entries.map(([k, v]) => inner + JSON.stringify(k) + ": " + value(v, inner)).join(",\n") + "\n" + pad + "}";
  };
  return { text: object(item, indent), lossy: [...lossy] };
}

// Plain JSON text to a DynamoDB JSON item. A small parser of its own so
// numbers keep their exact digits (JSON.parse would round them to doubles).
function fromPlainText(text) {
  let i = 0;
  const fail = (what) => { throw new Error("Plain JSON: " + what + " at offset " + i); };
  const ws = () => { while (i < text.length && " \t\r\n".includes(text[i])) i++; };
  const string = () => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    if (i >= text.length) fail("unterminated string");
    i++;
    return JSON.parse(text.slice(start, i));
  };
  const value = (depth) => {
    if (depth > 40) fail("too deeply nested");
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const m = {};
      ws();
      if (text[i] === "}") { i++; return { M: m }; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("expected a name");
        const k = string();
        ws();
        if (text[i] !== ":") fail("expected ':'");
        i++;
        m[k] = value(depth + 1);
        ws();
        if (text[i] === ",") { i++; continue; }
        if (text[i] === "}") { i++; return { M: m }; }
        fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const l = [];
      ws();
      if (text[i] === "]") { i++; return { L: l }; }
      for (;;) {
        l.push(value(depth + 1));
        ws();
        if (text[i] === ",") { i++; continue; }
        if (text[i] === "]") { i++; return { L: l }; }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return { S: string() };
    const rest = text.slice(i);
    let m;
    if ((m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(rest))) { i += m[0].length; return { N: m[0] }; }
    if (rest.startsWith("true")) { i += 4; return { BOOL: true }; }
    if (rest.startsWith("false")) { i += 5; return { BOOL: false }; }
    if (rest.startsWith("null")) { i += 4; return { NULL: true }; }
    return fail("unexpected input");
  };
  const top = value(0);
  ws();
  if (i < text.length) fail("unexpected trailing input");
  if (!top.M) throw new Error("Plain JSON: an item is an object");
  return top.M;
}

// ---------- table metadata ----------

const meta = new Map(); // table name -> DescribeTable's Table

async function tableNames() {
  const names = [];
  let start;
  for (let page = 0; page < 100; page++) {
    const r = await ddb("ListTables", start ? { ExclusiveStartTableName: start } : {});
    names.push(...(r.TableNames || []));
    start = r.LastEvaluatedTableName;
    if (!start) break;
  }
  return names;
}

async function describe(name) {
  const r = await ddb("DescribeTable", { TableName: name });
  meta.set(name, r.Table);
  return r.Table;
}

function keyNames(table, indexName) {
  let schema = table ? table.KeySchema : [];
  if (indexName) {
    const all = [...(table.GlobalSecondaryIndexes || []), ...(table.LocalSecondaryIndexes || [])];
    const index = all.find((x) => x.IndexName === indexName);
    schema = index ? index.KeySchema : [];
  }
  const hash = (schema || []).find((k) => k.KeyType === "HASH");
  const range = (schema || []).find((k) => k.KeyType === "RANGE");
  return { hash: hash && hash.AttributeName, range: range && range.AttributeName };
}

function schemaText(schema) {
  return (schema || []).map((k) => k.AttributeName + (k.KeyType === "HASH" ? " (partition)" : " (sort)")).join(", ");
}

async function fillTableSelect(id, keep) {
  const select = $(id);
  const current = keep || select.value;
  const names = await tableNames();
  select.replaceChildren(...names.map((n) => h("option", { value: n }, n)));
  if (names.includes(current)) select.value = current;
  return names;
}

// ---------- tables view ----------

async function loadTables() {
  say("tables-status", "Loading…");
  try {
    const names = await tableNames();
    const rows = [];
    for (const name of names) {
      const t = await describe(name);
      const indexes = [
        ...(t.GlobalSecondaryIndexes || []).map((x) => ["GSI", x]),
        ...(t.LocalSecondaryIndexes || []).map((x) => ["LSI", x]),
      ];
      rows.push(h("tr", {},
        h("th", { scope: "row" }, name),
        h("td", {}, schemaText(t.KeySchema)),
        h("td", {}, indexes.length ? indexes.map(([kind, x]) =>
          h("span", { class: "tag", title: schemaText(x.KeySchema) }, kind + " " + x.IndexName + ": " + schemaText(x.KeySchema))) : h("span", { class: "muted" }, "none")),
        h("td", { class: "num" }, String(t.ItemCount ?? 0)),
        h("td", { class: "num" }, bytes(t.TableSizeBytes || 0)),
        h("td", {}, t.TableStatus || ""),
        h("td", {},
          h("a", { href: "#items", "data-table": name, onclick: () => { pending.items = name; } }, "Browse"),
          " ",
          h("a", { href: "#query", "data-table": name, onclick: () => { pending.query = name; } }, "Query"))));
    }
    $("tables-list").tBodies[0].replaceChildren(...rows);
    say("tables-status", names.length ? names.length + (names.length === 1 ? " table" : " tables") : "No tables yet: create one with any DynamoDB client.");
  } catch (e) { fail("tables-status", e); }
}

// ---------- item grids ----------

function columnsOf(items, table, indexName) {
  const { hash, range } = keyNames(table, indexName);
  const base = keyNames(table);
  const first = [hash, range, base.hash, base.range].filter((x, i, all) => x && all.indexOf(x) === i);
  const others = new Set();
  for (const item of items) for (const k of Object.keys(item)) if (!first.includes(k)) others.add(k);
  return { keys: first, columns: [...first, ...[...others].sort().slice(0, 30)] };
}

function fillGrid(gridId, items, table, indexName, onEdit) {
  const grid = $(gridId);
  const { keys, columns } = columnsOf(items, table, indexName);
  grid.tHead.replaceChildren(h("tr", {},
    onEdit ? h("th", { scope: "col", class: "act" }, h("span", { class: "sr" }, "Actions")) : null,
    columns.map((c) => h("th", { scope: "col", class: keys.includes(c) ? "key" : null }, c))));
  grid.tBodies[0].replaceChildren(...items.map((item, n) => h("tr", {},
    onEdit ? h("td", { class: "act" }, h("button", { type: "button", class: "link", "aria-label": "Edit item " + (n + 1), onclick: () => onEdit(item) }, "Edit")) : null,
    columns.map((c) => {
      const av = item[c];
      const text = av === undefined ? "" : show(av);
      return h("td", { title: text.length > 40 ? text.slice(0, 2000) : null, class: keys.includes(c) ? "key" : null },
        text, av === undefined ? null : h("span", { class: "type" }, typeOf(av)));
    }))));
}

// ---------- items view ----------

const browse = { table: "", starts: [undefined], page: 0, last: undefined };

async function loadItems() {
  const name = $("items-table").value;
  if (!name) { say("items-status", "No tables yet."); return; }
  const limit = Number($("items-limit").value);
  say("items-status", "Loading…");
  try {
    const table = meta.get(name) || await describe(name);
    const request = { TableName: name, Limit: limit };
    const start = browse.starts[browse.page];
    if (start) request.ExclusiveStartKey = start;
    const t0 = performance.now();
    const r = await ddb("Scan", request);
    const ms = performance.now() - t0;
    browse.last = r.LastEvaluatedKey;
    fillGrid("items-grid", r.Items || [], table, "", openEditor);
    $("items-prev").disabled = browse.page === 0;
    $("items-next").disabled = !r.LastEvaluatedKey;
    $("items-page").textContent = "Page " + (browse.page + 1);
    const count = (r.Items || []).length;
    say("items-status", count + (count === 1 ? " item" : " items") + " on this page of about " + (table.ItemCount ?? "?") + " (Scan, " + ms.toFixed(0) + " ms)");
  } catch (e) { fail("items-status", e); }
}

function restartBrowse() {
  browse.starts = [undefined];
  browse.page = 0;
  loadItems();
}

// ---------- editor ----------

const editor = { table: "", key: null, view: "ddb" };

function itemKey(item, table) {
  const { hash, range } = keyNames(table);
  const key = {};
  if (hash && item[hash]) key[hash] = item[hash];
  if (range && item[range]) key[range] = item[range];
  return key;
}

function editorItem() {
  const text = $("editor-text").value;
  if (editor.view === "plain") return fromPlainText(text);
  let item;
  try { item = JSON.parse(text); } catch (e) { throw new Error("The item is not valid JSON: " + e.message); }
  return item;
}

function setEditorView(view, item) {
  editor.view = view;
  if (view === "plain") {
    const { text, lossy } = toPlainText(item);
    $("editor-text").value = text;
    $("editor-note").textContent = lossy.length
      ? "This item has " + lossy.join(" and ") + " values, which plain JSON cannot express: saving from this view stores them as lists and strings. Edit in DynamoDB JSON to keep them."
      : "Plain JSON: strings, numbers (kept exactly), booleans, null, lists and maps.";
  } else {
    $("editor-text").value = pretty(item);
    $("editor-note").textContent = "DynamoDB JSON: every value is typed, such as {\"S\": \"text\"} or {\"N\": \"42\"}.";
  }
}

function openEditor(item) {
  const table = meta.get($("items-table").value);
  editor.table = $("items-table").value;
  editor.key = item ? itemKey(item, table) : null;
  $("h-editor").textContent = item ? "Edit item in " + editor.table : "New item in " + editor.table;
  $("editor-delete").hidden = !item;
  const start = item || Object.fromEntries(Object.entries(keyNames(table)).filter(([, n]) => n).map(([, n]) => [n, { S: "" }]));
  document.querySelector('input[name="editor-view"][value="ddb"]').checked = true;
  setEditorView("ddb", start);
  say("editor-status", "");
  $("editor").hidden = false;
  $("editor-text").focus();
}

async function saveItem() {
  try {
    const item = editorItem();
    say("editor-status", "Saving…");
    await ddb("PutItem", { TableName: editor.table, Item: item });
    const table = meta.get(editor.table);
    editor.key = itemKey(item, table);
    setEditorView(editor.view, item);
    $("editor-delete").hidden = false;
    say("editor-status", "Saved.", "ok");
    loadItems();
  } catch (e) { fail("editor-status", e); }
}

async function deleteItem() {
  if (!editor.key) return;
  if (!confirm("Delete this item?")) return;
  try {
    await ddb("DeleteItem", { TableName: editor.table, Key: editor.key });
    say("editor-status", "Deleted.", "ok");
    $("editor").hidden = true;
    loadItems();
  } catch (e) { fail("editor-status", e); }
}

// ---------- query & scan view ----------

const query = { request: null, last: undefined };

async function queryTableChanged() {
  const name = $("q-table").value;
  const select = $("q-index");
  select.replaceChildren(h("option", { value: "" }, "(the table)"));
  if (!name) return;
  try {
    const t = meta.get(name) || await describe(name);
    for (const x of [...(t.GlobalSecondaryIndexes || []), ...(t.LocalSecondaryIndexes || [])]) {
      select.append(h("option", { value: x.IndexName }, x.IndexName));
    }
    queryIndexChanged();
  } catch (e) { fail("q-status", e); }
}

function queryIndexChanged() {
  const t = meta.get($("q-table").value);
  const { hash, range } = keyNames(t, $("q-index").value);
  $("q-key-hint").textContent = hash ? "(partition key " + hash + (range ? ", sort key " + range : "") + ")" : "";
}

function queryOperation() { return document.querySelector('input[name="q-op"]:checked').value; }

function buildQuery() {
  const op = queryOperation();
  const r = { TableName: $("q-table").value };
  const index = $("q-index").value;
  if (index) r.IndexName = index;
  const key = $("q-key").value.trim();
  if (op === "Query") r.KeyConditionExpression = key;
  const filter = $("q-filter").value.trim();
  if (filter) r.FilterExpression = filter;
  const projection = $("q-projection").value.trim();
  if (projection) r.ProjectionExpression = projection;
  const names = parseJsonField("q-names", "Expression attribute names");
  if (names !== undefined) r.ExpressionAttributeNames = names;
  const values = parseJsonField("q-values", "Expression attribute values");
  if (values !== undefined) r.ExpressionAttributeValues = values;
  const limit = $("q-limit").value.trim();
  if (limit) r.Limit = Number(limit);
  if (op === "Query" && !$("q-forward").checked) r.ScanIndexForward = false;
  if ($("q-consistent").checked) r.ConsistentRead = true;
  return { op, r };
}

async function runQuery(more) {
  let op, r;
  try {
    if (more && query.request) {
      ({ op, r } = query.request);
      r = { ...r, ExclusiveStartKey: query.last };
    } else {
      ({ op, r } = buildQuery());
      query.page = 0;
    }
  } catch (e) { fail("q-status", e); return; }
  $("q-request").textContent = op + " " + pretty(r);
  say("q-status", "Running…");
  try {
    const t0 = performance.now();
    const out = await ddb(op, r);
    const ms = performance.now() - t0;
    query.request = { op, r: { ...r, ExclusiveStartKey: undefined } };
    query.last = out.LastEvaluatedKey;
    query.page = (query.page || 0) + (more ? 1 : 0);
    const t = meta.get(r.TableName) || await describe(r.TableName);
    fillGrid("q-grid", out.Items || [], t, r.IndexName || "", null);
    $("q-more").disabled = !out.LastEvaluatedKey;
    say("q-status", op + ": " + out.Count + " returned, " + out.ScannedCount + " scanned" + (query.page ? " (page " + (query.page + 1) + ")" : "") +
      (out.LastEvaluatedKey ? "; more pages follow" : "") + " in " + ms.toFixed(0) + " ms", "ok");
  } catch (e) {
    $("q-grid").tHead.replaceChildren();
    $("q-grid").tBodies[0].replaceChildren();
    $("q-more").disabled = true;
    fail("q-status", e);
  }
}

// ---------- playground ----------

function node(n) {
  const outcome = n.outcome === true ? "true" : n.outcome === false ? "false" : "skipped";
  const box = h("div", { class: "node " + outcome + (n.decisive ? " decisive" : "") },
    h("span", { class: "expr" }, n.text || n.kind),
    h("span", { class: "outcome" }, n.outcome === null || n.outcome === undefined ? "not evaluated" : String(n.outcome)),
    n.decisive ? h("span", { class: "decider" }, "◀ decided the result") : null,
    (n.operands || []).length ? h("div", { class: "operands" },
      n.operands.map((o, i) => [i ? " · " : "", h("code", {}, o.text), " = ",
        o.value === null || o.value === undefined ? h("em", {}, "missing") : h("code", {}, JSON.stringify(o.value))])) : null,
    n.note ? h("div", { class: "note" }, n.note) : null);
  const children = (n.children || []).length ? h("ul", {}, n.children.map((c) => h("li", {}, node(c)))) : null;
  return [box, children];
}

function drawExplanation(out) {
  $("pg-result").hidden = false;
  const verdict = $("pg-verdict");
  if (out.result === true || out.result === false) {
    verdict.textContent = "The condition is " + out.result;
    verdict.className = "verdict-" + out.result;
  } else {
    verdict.textContent = "No condition evaluated";
    verdict.className = "";
  }
  $("pg-tree").replaceChildren(out.tree ? h("ul", { role: "tree", "aria-label": "Explanation" }, h("li", {}, node(out.tree))) : h("p", { class: "muted" }, "No tree."));
  for (const li of $("pg-tree").querySelectorAll("li")) li.setAttribute("role", "treeitem");
  for (const ul of $("pg-tree").querySelectorAll("li > ul")) ul.setAttribute("role", "group");
  $("pg-text").textContent = out.text || "";
  $("pg-new-box").hidden = !out.newItem;
  $("pg-new").textContent = out.newItem ? pretty(out.newItem) : "";
}

async function runPlayground() {
  const request = {};
  try {
    if (document.querySelector('input[name="pg-source"]:checked').value === "paste") {
      const item = $("pg-item").value.trim();
      request.Item = item ? JSON.parse(item) : {};
    } else {
      request.TableName = $("pg-table").value;
      const key = parseJsonField("pg-key", "The key");
      if (key !== undefined) request.Key = key;
    }
    const condition = $("pg-condition").value.trim();
    if (condition) request.ConditionExpression = condition;
    const update = $("pg-update").value.trim();
    if (update) request.UpdateExpression = update;
    const names = parseJsonField("pg-names", "Expression attribute names");
    if (names !== undefined) request.ExpressionAttributeNames = names;
    const values = parseJsonField("pg-values", "Expression attribute values");
    if (values !== undefined) request.ExpressionAttributeValues = values;
  } catch (e) { fail("pg-status", e); return; }
  say("pg-status", "Explaining…");
  try {
    const out = await control("POST", "explain", request);
    drawExplanation(out);
    say("pg-status", "");
  } catch (e) {
    $("pg-result").hidden = true;
    fail("pg-status", e);
  }
}

// ---------- request log ----------

const log = { timer: 0, rows: [] };

async function loadLog() {
  try {
    const out = await control("GET", "requests");
    const errorsOnly = $("log-errors").checked;
    const entries = (out.requests || []).filter((e) => !errorsOnly || e.status !== 200).reverse();
    $("log-grid").tBodies[0].replaceChildren(...entries.map((e) => h("tr", { class: e.status === 200 ? null : "failed" },
      h("td", { class: "num" }, String(e.seq)),
      h("td", {}, new Date(e.at_millis).toLocaleTimeString()),
      h("td", {}, e.operation || "(none)"),
      h("td", {}, e.table || ""),
      h("td", { class: "num" }, String(e.status)),
      h("td", { class: "num" }, e.latency_micros < 1000 ? e.latency_micros + " µs" : (e.latency_micros / 1000).toFixed(1) + " ms"),
      h("td", {}, e.error ? e.error + (e.message ? ": " + e.message : "") : ""))));
    say("log-status", (out.requests || []).length + " of the last " + out.capacity + " calls kept; " + out.recorded + " served since start.");
  } catch (e) { fail("log-status", e); }
}

function liveLog() {
  clearInterval(log.timer);
  log.timer = 0;
  if ($("log-live").checked && current === "log") log.timer = setInterval(() => { if (!document.hidden) loadLog(); }, 2000);
}

// ---------- server view ----------

function showClock(c) {
  $("clock-now").textContent = new Date(c.now_millis).toISOString() + (c.manual ? " (manual)" : " (system clock)");
}

async function clockCall(body) {
  try {
    showClock(await control(body ? "POST" : "GET", "clock", body));
    say("clock-status", body ? "Done." : "", body ? "ok" : "");
  } catch (e) { fail("clock-status", e); }
}

async function stateCall(path, body, done) {
  say("state-status", "Working…");
  try {
    const out = await control("POST", path, body);
    done(out);
  } catch (e) {
    if (e instanceof CallError && e.status === 404) {
      say("state-status", "This server has no /dynacond/" + path + " call (" + e.describe() + ").", "error");
    } else {
      fail("state-status", e);
    }
  }
}

async function faultsCall(method, body) {
  try {
    const out = await control(method, "faults", body);
    $("faults-text").value = pretty(out.rules || []);
    say("faults-status", method === "GET" ? (out.rules || []).length + " rules" : "Done.", method === "GET" ? "" : "ok");
  } catch (e) { fail("faults-status", e); }
}

// ---------- routing ----------

const views = ["tables", "items", "query", "playground", "log", "server"];
const pending = {};
let current = "";

async function show_(view) {
  if (!views.includes(view)) view = "tables";
  current = view;
  for (const v of views) $("view-" + v).hidden = v !== view;
  for (const a of document.querySelectorAll("nav a")) {
    if (a.dataset.view === view) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
  liveLog();
  try {
    if (view === "tables") await loadTables();
    if (view === "items") {
      await fillTableSelect("items-table", pending.items);
      pending.items = undefined;
      if ($("items-table").value !== browse.table) { browse.table = $("items-table").value; $("editor").hidden = true; restartBrowse(); } else loadItems();
    }
    if (view === "query") {
      const before = $("q-table").value;
      await fillTableSelect("q-table", pending.query);
      pending.query = undefined;
      if ($("q-table").value !== before || $("q-index").options.length === 1) await queryTableChanged();
    }
    if (view === "playground") await fillTableSelect("pg-table");
    if (view === "log") await loadLog();
    if (view === "server") { await clockCall(); }
  } catch (e) {
    fail(view === "items" ? "items-status" : view === "query" ? "q-status" : view === "playground" ? "pg-status" : "tables-status", e);
  }
}

function route() {
  show_((location.hash || "#tables").slice(1));
}

function wire() {
  $("endpoint").textContent = location.host;
  window.addEventListener("hashchange", () => { route(); $("main").focus({ preventScroll: true }); });
  $("tables-refresh").addEventListener("click", loadTables);
  $("items-table").addEventListener("change", () => { browse.table = $("items-table").value; $("editor").hidden = true; restartBrowse(); });
  $("items-limit").addEventListener("change", restartBrowse);
  $("items-reload").addEventListener("click", loadItems);
  $("items-new").addEventListener("click", () => openEditor(null));
  $("items-next").addEventListener("click", () => {
    if (!browse.last) return;
    browse.starts[browse.page + 1] = browse.last;
    browse.page += 1;
    loadItems();
  });
  $("items-prev").addEventListener("click", () => { if (browse.page > 0) { browse.page -= 1; loadItems(); } });
  for (const radio of document.querySelectorAll('input[name="editor-view"]')) {
    radio.addEventListener("change", () => {
      try {
        const item = editorItem();
        setEditorView(radio.value, item);
        say("editor-status", "");
      } catch (e) {
        document.querySelector('input[name="editor-view"][value="' + editor.view + '"]').checked = true;
        fail("editor-status", e);
      }
    });
  }
  $("editor-save").addEventListener("click", saveItem);
  $("editor-delete").addEventListener("click", deleteItem);
  $("editor-close").addEventListener("click", () => { $("editor").hidden = true; });
  $("editor").addEventListener("keydown", (e) => {
    if (e.key === "Escape") $("editor").hidden = true;
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) saveItem();
  });
  $("q-table").addEventListener("change", queryTableChanged);
  $("q-index").addEventListener("change", queryIndexChanged);
  for (const radio of document.querySelectorAll('input[name="q-op"]')) {
    radio.addEventListener("change", () => {
      const scan = queryOperation() === "Scan";
      $("q-key").disabled = scan;
      $("q-forward").disabled = scan;
    });
  }
  $("query-form").addEventListener("submit", (e) => { e.preventDefault(); runQuery(false); });
  $("q-more").addEventListener("click", () => runQuery(true));
  for (const radio of document.querySelectorAll('input[name="pg-source"]')) {
    radio.addEventListener("change", () => {
      const paste = radio.value === "paste" && radio.checked;
      $("pg-paste").hidden = !paste;
      $("pg-bykey").hidden = paste;
    });
  }
  $("pg-form").addEventListener("submit", (e) => { e.preventDefault(); runPlayground(); });
  $("log-live").addEventListener("change", liveLog);
  $("log-errors").addEventListener("change", loadLog);
  $("log-refresh").addEventListener("click", loadLog);
  $("log-clear").addEventListener("click", async () => {
    try { await control("DELETE", "requests"); loadLog(); } catch (e) { fail("log-status", e); }
  });
  const seconds = () => Number($("clock-seconds").value);
  $("clock-advance").addEventListener("click", () => clockCall({ advance_seconds: seconds() }));
  $("clock-set").addEventListener("click", () => clockCall({ set_epoch_seconds: seconds() }));
  $("clock-manual").addEventListener("click", () => clockCall({ manual: true }));
  $("clock-system").addEventListener("click", () => clockCall({ system: true }));
  $("ttl-sweep").addEventListener("click", async () => {
    try {
      const out = await control("POST", "ttl/sweep", {});
      say("clock-status", out.ExpiredItems + " expired items deleted.", "ok");
    } catch (e) { fail("clock-status", e); }
  });
  $("state-snapshot").addEventListener("click", () => stateCall("snapshot", {}, (out) => {
    $("state-text").value = pretty(out);
    say("state-status", "Snapshot taken.", "ok");
  }));
  $("state-restore").addEventListener("click", () => {
    const text = $("state-text").value.trim();
    if (!text) { say("state-status", "Paste or take a snapshot first.", "error"); return; }
    stateCall("restore", text, () => { meta.clear(); say("state-status", "Restored.", "ok"); });
  });
  $("state-reset").addEventListener("click", () => {
    if (!confirm("Delete every table and item?")) return;
    stateCall("reset", {}, () => { meta.clear(); say("state-status", "The store is empty.", "ok"); });
  });
  $("faults-load").addEventListener("click", () => faultsCall("GET"));
  $("faults-apply").addEventListener("click", () => {
    let rules;
    try { rules = parseJsonField("faults-text", "The rules") || []; } catch (e) { fail("faults-status", e); return; }
    faultsCall("POST", { rules: Array.isArray(rules) ? rules : rules.rules || [] });
  });
  $("faults-clear").addEventListener("click", () => faultsCall("DELETE"));
  route();
}

// Exposed for tests of the drawing alone.
window.dynacond = { drawExplanation, toPlainText, fromPlainText };

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire); else wire();
