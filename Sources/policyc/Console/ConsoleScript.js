"use strict";

const view = { generation: null, policies: [], selected: null };

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

async function getJSON(url, options) {
  const response = await fetch(url, options);
  const body = await response.json();
  if (!response.ok) throw new Error(body.detail || response.statusText);
  return body;
}

// Polls every 500 ms; redraws only when the server saw a change of the files.
async function refresh() {
  const state = document.getElementById("load-state");
  try {
    const diagnostics = await getJSON("/api/diagnostics");
    if (diagnostics.generation !== view.generation) {
      const policies = await getJSON("/api/policies");
      view.generation = diagnostics.generation;
      view.policies = policies.policies;
      renderDiagnostics(diagnostics);
      renderPolicies();
      fillServices();
      labelChanged();
    }
  } catch (error) {
    state.textContent = "The console does not answer: " + error.message;
    state.className = "load-state bad";
  }
  setTimeout(refresh, 500);
}

function renderDiagnostics(document_) {
  const state = document.getElementById("load-state");
  state.textContent = document_.loads
    ? "The policies load: policyd would serve them."
    : "policyd would refuse these files (it keeps serving its last good set): see Lint. The what-if form decides against the files that load.";
  state.className = document_.loads ? "load-state" : "load-state bad";
  document.getElementById("lint-summary").textContent = document_.summary;
  const list = document.getElementById("diagnostics");
  list.replaceChildren(...document_.diagnostics.map(renderDiagnostic));
}

function renderDiagnostic(diagnostic) {
  const item = element("li", { class: diagnostic.severity, "data-code": diagnostic.code },
    element("div", { class: "diagnostic-text", text: diagnostic.text }));
  if (diagnostic.excerpt && diagnostic.excerpt.length) {
    const excerpt = element("div", { class: "excerpt", "aria-label": "source around line " + diagnostic.line });
    for (const line of diagnostic.excerpt) {
      const hit = line.line === diagnostic.line;
      excerpt.append(element("code", { class: hit ? "source-line hit" : "source-line" },
        element("span", { class: "gutter", text: String(line.line) }), line.text));
      if (hit) {
        excerpt.append(element("code", { class: "source-line caret", "aria-hidden": "true" },
          element("span", { class: "gutter", text: "" }), " ".repeat(Math.max(0, diagnostic.column - 1)) + "^"));
      }
    }
    item.append(excerpt);
  }
  return item;
}

function policyKey(policy) { return policy.type + "/" + policy.name + "/" + policy.version; }

function describe(alternative) {
  if (!alternative.all_of.length && !alternative.none_of.length) return "(any valid token)";
  return alternative.all_of.concat(alternative.none_of.map((group) => "not " + group)).join(" + ");
}

// One policy at a time, picked in the Policy list: the one last decided on, at first the first route policy.
function renderPolicies() {
  const select = document.getElementById("policy-select");
  const keys = view.policies.map(policyKey);
  if (!keys.includes(view.selected)) {
    const first = view.policies.find((p) => p.type === "route") || view.policies[0];
    view.selected = first ? policyKey(first) : null;
  }
  select.replaceChildren(...view.policies.map((policy) => {
    const option = element("option", { value: policyKey(policy), text: policy.type + " policy '" + policy.name + "' version " + policy.version });
    option.selected = policyKey(policy) === view.selected;
    return option;
  }));
  const policy = view.policies.find((p) => policyKey(p) === view.selected);
  document.getElementById("policies").replaceChildren(...(policy ? [renderPolicy(policy)] : []));
}

function renderPolicy(policy) {
  const article = element("article", { class: "policy", "data-policy": policyKey(policy) });
  const selector = policy.action_parameter === null ? "" : ", actions named by " + policy.action_parameter;
  article.append(element("h3", { text: policy.type + " policy '" + policy.name + "' version " + policy.version + selector }),
    element("span", { class: "file", text: policy.file }));

  const roles = element("table", { class: "roles" },
    element("caption", { text: "Roles (root group " + policy.root_group + ")" }),
    element("tr", {}, element("th", { scope: "col", text: "role" }), element("th", { scope: "col", text: "groups (any one)" })));
  for (const role of policy.roles) {
    roles.append(element("tr", {}, element("td", {}, element("code", { text: role.name })),
      element("td", {}, ...(role.groups.length ? role.groups.map((g) => element("code", { text: g + " " })) : [element("em", { text: "every caller with a valid token" })]))));
  }

  const rules = element("table", { class: "rules" },
    element("caption", { text: "Rules: who is granted" }),
    element("tr", {}, element("th", { scope: "col", text: "rule" }), element("th", { scope: "col", text: "expression" }), element("th", { scope: "col", text: "granted to (any one line)" })));
  for (const rule of policy.rules) {
    const grants = rule.grants === null ? [element("li", { text: "(" + rule.unanalysed + ")" })]
      : rule.grants.length === 0 ? [element("li", { text: "(nobody)" })]
      : rule.grants.map((alternative) => element("li", {}, element("code", { text: describe(alternative) })));
    rules.append(element("tr", {}, element("td", {}, element("code", { text: rule.rule })), element("td", {}, element("code", { text: rule.expression })),
      element("td", {}, element("ul", { class: "grants-list" }, ...grants))));
  }

  const symbols = { "grants": "✔", "with-others": "+", "denies": "✗", "unnamed": "" };
  const titles = { "grants": "holding this role grants it", "with-others": "grants only with other roles", "denies": "holding it takes access away", "unnamed": "not named" };
  const header = element("tr", {}, element("th", { scope: "col", text: "rule \\ role" }),
    ...policy.roles.map((role) => element("th", { scope: "col", class: "role", text: role.name })), element("th", { scope: "col", class: "role", text: "no group" }));
  const matrix = element("table", { class: "matrix" }, element("caption", { text: "Who can call what: rules by roles" }), header);
  for (const rule of policy.rules) {
    matrix.append(element("tr", {}, element("th", { scope: "row" }, element("code", { text: rule.rule })),
      ...rule.cells.map((cell, index) => element("td", { class: "cell " + cell, title: policy.roles[index].name + ": " + titles[cell], text: symbols[cell] })),
      element("td", { class: rule.everyone ? "cell grants" : "cell unnamed", title: rule.everyone ? "a caller with no group is granted" : "a caller with no group is refused", text: rule.everyone ? "✔" : "" })));
  }
  article.append(element("div", { class: "side-by-side" }, roles, matrix), rules);
  return article;
}

function fillServices() {
  const type = document.getElementById("type").value;
  const names = [...new Set(view.policies.filter((p) => p.type === type).map((p) => p.name))];
  document.getElementById("services").replaceChildren(...names.map((name) => element("option", { value: name })));
}

// The parameter whose value names a plugin policy's action (its action_parameter, spec 2.6), in
// the latest version of the service's plugin policy.
function actionParameter() {
  const name = document.getElementById("service").value.trim();
  const versions = view.policies.filter((p) => p.type === "plugin" && p.name === name);
  const latest = versions.reduce((best, p) => (best === null || p.version > best.version ? p : best), null);
  return latest === null ? "action" : latest.action_parameter;
}

function labelChanged() {
  const type = document.getElementById("type").value;
  document.getElementById("route-label").textContent = type === "plugin" ? "Action (the value of " + actionParameter() + ")" : "Route (or action)";
}

function typeChanged() {
  const type = document.getElementById("type").value;
  document.getElementById("route").disabled = type === "exchange";
  document.getElementById("method").disabled = type !== "route";
  fillServices();
  labelChanged();
}

// Sets a dotted parameter where a body nests it: service.method as {"service": {"method": …}}, so
// that it is not also reached as a member of that name (which would make it match nothing).
function setNested(params, dotted, value) {
  const parts = dotted.split(".");
  let object = params;
  for (const part of parts.slice(0, -1)) {
    if (object[part] === undefined) object[part] = {};
    if (object[part] === null || typeof object[part] !== "object" || Array.isArray(object[part])) {
      throw new Error("Parameters: '" + part + "' is not an object, so the action cannot go in " + dotted);
    }
    object = object[part];
  }
  object[parts[parts.length - 1]] = value;
}

function lines(text) { return text.split("\n").map((line) => line.trim()).filter((line) => line.length); }

function parameters(text) {
  if (text.trim().startsWith("{")) {
    const value = JSON.parse(text);
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error("Parameters: a JSON object, or name=value lines");
    return value;
  }
  const result = {};
  for (const line of lines(text)) {
    const split = line.indexOf("=");
    if (split < 1) throw new Error("Parameters: '" + line + "' is not name=value");
    result[line.slice(0, split)] = line.slice(split + 1);
  }
  return result;
}

// The payload of a JWT, read and NOT verified: no signature, issuer, audience or expiry is checked.
function tokenGroups(token) {
  const parts = token.trim().split(".");
  if (parts.length !== 3) throw new Error("not a JWT (header.payload.signature)");
  let base64 = parts[1].replace(/-/g, "+").replace(/_/g, "/");
  while (base64.length % 4) base64 += "=";
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const claims = JSON.parse(new TextDecoder().decode(bytes));
  // As policyd reads them: the groups claim, or wlcg.groups when it is absent.
  const groups = claims.groups !== undefined ? claims.groups : claims["wlcg.groups"];
  if (groups === undefined) return [];
  if (!Array.isArray(groups) || groups.some((g) => typeof g !== "string")) throw new Error("its groups claim is not an array of strings");
  return groups;
}

function tokenChanged() {
  const note = document.getElementById("token-note");
  const token = document.getElementById("token").value.trim();
  if (!token) { note.hidden = true; return; }
  note.hidden = false;
  try {
    const groups = tokenGroups(token);
    note.textContent = "NOT VERIFIED: the token's signature, issuer, audience and expiry are not checked. Its groups: " + (groups.length ? groups.join(", ") : "(none)");
  } catch (error) {
    note.textContent = "The token cannot be read: " + error.message;
  }
}

function showDecision(kind, verdict, details) {
  const status = document.getElementById("decision");
  status.className = "decision " + kind;
  status.replaceChildren(element("p", { class: "verdict", text: verdict }), ...details);
}

async function decide(event) {
  event.preventDefault();
  tokenChanged();
  const type = document.getElementById("type").value;
  const routeField = document.getElementById("route").value.trim();
  const method = document.getElementById("method").value.trim();
  const token = document.getElementById("token").value.trim();
  let query;
  let fromToken = false;
  try {
    query = { type: type, service: document.getElementById("service").value.trim(), params: parameters(document.getElementById("parameters").value) };
    if (token) { query.groups = tokenGroups(token); fromToken = true; } else { query.groups = lines(document.getElementById("groups").value); }
    if (type === "plugin" && routeField) setNested(query.params, actionParameter(), routeField);
  } catch (error) {
    showDecision("", "Cannot decide: " + error.message, []);
    return;
  }
  if (type === "route") { query.route = routeField; if (method) query.method = method; }
  try {
    const answer = await getJSON("/api/decide", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(query) });
    const [first, ...rest] = answer.text.split("\n");
    const details = [];
    if (fromToken) details.push(element("p", { class: "unverified", text: "Groups from a token that was NOT verified: " + (query.groups.join(", ") || "(none)") }));
    if (rest.length) details.push(element("pre", { text: rest.join("\n") }));
    showDecision(answer.decision.is_authorised ? "allow" : "deny", first, details);
    const decided = answer.decision.explanation && answer.decision.explanation.policy;
    if (decided) { view.selected = decided.type + "/" + decided.name + "/" + decided.version; renderPolicies(); }
  } catch (error) {
    showDecision("", "Cannot decide: " + error.message, []);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("query").addEventListener("submit", decide);
  document.getElementById("type").addEventListener("change", typeChanged);
  document.getElementById("service").addEventListener("input", labelChanged);
  document.getElementById("token").addEventListener("input", tokenChanged);
  document.getElementById("policy-select").addEventListener("change", (event) => { view.selected = event.target.value; renderPolicies(); });
  typeChanged();
  refresh();
});