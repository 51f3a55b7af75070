// The counter console: sign in, take a counter, call, recall, mark no-shows, start,
// finish with the citizen's rating, transfer — by mouse or by keyboard shortcut.

import { api, applyI18n, debounce, el, fieldName, langButton, live, liveStatus, minutesSince, procedureName, signIn, signOut, t } from "/web/common.js";

const $ = (id) => document.getElementById(id);
const state = { account: null, centerId: null, counterId: null, snapshot: null, sub: null, busy: false };

function say(text, error = false) {
  const m = $("message");
  m.textContent = text;
  m.classList.toggle("error", error);
}

function myCounter() {
  return state.snapshot?.counters.find((c) => c.id === state.counterId) ?? null;
}

function render() {
  const snap = state.snapshot;
  if (!snap) return;
  $("center-name").textContent = snap.center.name;
  // Counter choices, with who holds each.
  const sel = $("counter-select");
  const chosen = String(state.counterId ?? "");
  sel.replaceChildren(...snap.counters.map((c) => el("option", { value: c.id, selected: String(c.id) === chosen },
    t("counter.n", { n: c.number }) + (c.staff_name ? " — " + c.staff_name : ""))));
  const counter = myCounter();
  const mine = counter && counter.open && counter.staff_name === state.account.full_name;
  $("open-counter").hidden = !!mine;
  $("close-counter").hidden = !mine;

  const current = counter?.current ?? null;
  const box = $("current");
  if (!mine) {
    box.replaceChildren(el("p", { class: "muted" }, t("counter.closed")));
  } else if (!current) {
    box.replaceChildren(el("p", { class: "muted" }, t("no.current")));
  } else {
    box.replaceChildren(
      el("div", { class: "current-number", id: "current-number" }, current.number),
      el("div", { class: "current-state state-" + current.state }, t("state." + current.state)),
      el("dl", { class: "facts" },
        el("dt", {}, t("procedure")), el("dd", {}, procedureName(current)),
        el("dt", {}, t("field")), el("dd", {}, fieldName(current)),
        el("dt", {}, t("waited")), el("dd", {}, t("minutes", { n: minutesSince(current.issued_at) })),
        current.priority ? [el("dt", {}, t("priority")), el("dd", { class: "prio" }, t("prio." + current.priority))] : null));
  }
  const has = !!current;
  $("btn-call").disabled = !mine || has;
  $("btn-recall").disabled = !has;
  $("btn-noshow").disabled = !has || current.state !== "called";
  $("btn-start").disabled = !has || current.state !== "called";
  $("btn-finish").disabled = !has;
  document.querySelectorAll(".rate").forEach((b) => { b.disabled = !has; });
  $("btn-transfer").disabled = !has;
  $("transfer-target").disabled = !has;

  // Transfer targets: the other fields served here, then the other counters.
  const targets = $("transfer-target");
  targets.replaceChildren(el("option", { value: "" }, t("transfer.to")),
    ...snap.fields.filter((f) => !current || f.field_id !== current.field_id)
      .map((f) => el("option", { value: "f" + f.field_id }, t("to.field", { name: fieldName(f) }))),
    ...snap.counters.filter((c) => c.id !== state.counterId)
      .map((c) => el("option", { value: "c" + c.id }, t("to.counter", { n: c.number }))));

  // The queue this counter may call: its fields, plus tickets sent to it directly.
  const fields = new Set(counter?.field_ids ?? []);
  const queue = snap.waiting.filter((w) => fields.has(w.field_id));
  $("queue-count").textContent = queue.length;
  $("queue").replaceChildren(...(queue.length === 0
    ? [el("li", { class: "muted" }, t("queue.empty"))]
    : queue.slice(0, 40).map((w) => el("li", { class: w.priority ? "prio-row" : "" },
      el("span", { class: "num" }, w.number),
      el("span", { class: "what" }, procedureName(w), el("small", {}, fieldName(w))),
      el("span", { class: "mins" }, t("minutes", { n: minutesSince(w.issued_at) })),
      w.priority ? el("span", { class: "badge prio" }, t("prio." + w.priority)) : null))));
}

async function refresh() {
  if (!state.centerId) return;
  try {
    state.snapshot = await api(`/api/staff/centers/${state.centerId}/queue`);
    render();
  } catch (e) {
    if (e.status === 401) location.reload();
    say(e.message, true);
  }
}
const refreshSoon = debounce(refresh, 150);

async function act(fn) {
  if (state.busy) return;
  state.busy = true;
  try {
    await fn();
  } catch (e) {
    say(e.message, true);
  } finally {
    state.busy = false;
    await refresh();
  }
}

const currentTicket = () => myCounter()?.current ?? null;
const base = () => `/api/counters/${state.counterId}`;

const actions = {
  call: () => act(async () => {
    const r = await api(base() + "/call-next", { method: "POST" });
    say(r.ticket ? t("called.ok", { n: r.ticket.number }) : t("queue.nobody"), !r.ticket);
  }),
  recall: () => act(async () => { const c = currentTicket(); if (c) await api(base() + "/recall", { method: "POST", body: { ticket_id: c.id } }); say(t("called.ok", { n: c.number })); }),
  noshow: () => act(async () => { const c = currentTicket(); if (c) await api(base() + "/no-show", { method: "POST", body: { ticket_id: c.id } }); say(""); }),
  start: () => act(async () => { const c = currentTicket(); if (c) await api(base() + "/start", { method: "POST", body: { ticket_id: c.id } }); say(""); }),
  finish: (rating) => act(async () => {
    const c = currentTicket();
    if (!c) return;
    // Finishing a called ticket means the citizen came: record the start first.
    if (c.state === "called") await api(base() + "/start", { method: "POST", body: { ticket_id: c.id } });
    await api(base() + "/finish", { method: "POST", body: rating ? { ticket_id: c.id, rating } : { ticket_id: c.id } });
    say(rating ? `${c.number}: ${t("rating." + rating)}` : "");
  }),
  transfer: () => act(async () => {
    const c = currentTicket();
    const v = $("transfer-target").value;
    if (!c || !v) { $("transfer-target").focus(); return; }
    const id = Number(v.slice(1));
    await api(base() + "/transfer", { method: "POST", body: v[0] === "f" ? { ticket_id: c.id, field_id: id } : { ticket_id: c.id, counter_id: id } });
    say("");
  }),
};

function wire() {
  $("btn-call").addEventListener("click", actions.call);
  $("btn-recall").addEventListener("click", actions.recall);
  $("btn-noshow").addEventListener("click", actions.noshow);
  $("btn-start").addEventListener("click", actions.start);
  $("btn-finish").addEventListener("click", () => actions.finish(null));
  for (const r of ["very_satisfied", "satisfied", "dissatisfied"]) $("rate-" + r).addEventListener("click", () => actions.finish(r));
  $("btn-transfer").addEventListener("click", actions.transfer);
  $("open-counter").addEventListener("click", () => act(async () => {
    state.counterId = Number($("counter-select").value);
    localStorage.setItem("counter", state.counterId);
    await api(base() + "/open", { method: "POST" });
    say("");
  }));
  $("close-counter").addEventListener("click", () => act(async () => { await api(base() + "/close", { method: "POST" }); say(""); }));
  $("counter-select").addEventListener("change", () => { state.counterId = Number($("counter-select").value); localStorage.setItem("counter", state.counterId); render(); });
  $("center-select").addEventListener("change", () => startCenter(Number($("center-select").value)));
  // Shortcuts: single keys when no text field has the focus; each button shows its key.
  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.altKey || ev.metaKey || ev.repeat) return;
    if (ev.target.closest && ev.target.closest("input, select, textarea")) return;
    const button = document.querySelector(`#console [data-key="${ev.key.toLowerCase()}"]`);
    if (button && !button.disabled && !$("console").hidden) {
      ev.preventDefault();
      button.click();
    }
  });
  setInterval(render, 30000);
}

function startCenter(centerId) {
  state.centerId = centerId;
  state.sub?.close();
  state.sub = live(`/api/centers/${centerId}/events`, {
    onSync: refresh,
    onEvent: refreshSoon,
    onStatus: liveStatus($("live")),
  });
}

async function main() {
  applyI18n();
  langButton($("lang"), render);
  $("signout").addEventListener("click", signOut);
  const account = await signIn($("signin-box"));
  state.account = account;
  $("who").textContent = account.full_name;
  $("signout").hidden = false;
  $("console").hidden = false;
  wire();
  const centers = await api("/api/centers");
  const allowed = account.center_id ? centers.filter((c) => c.id === account.center_id) : centers;
  $("center-select").replaceChildren(...allowed.map((c) => el("option", { value: c.id }, c.name)));
  $("center-select").disabled = allowed.length < 2;
  const centerId = account.center_id ?? allowed[0].id;
  $("center-select").value = centerId;
  const saved = Number(localStorage.getItem("counter"));
  state.counterId = saved || null;
  startCenter(centerId);
  await refresh();
  if (!state.snapshot?.counters.some((c) => c.id === state.counterId)) {
    // Prefer the counter this officer already holds, else the first free one.
    const counters = state.snapshot?.counters ?? [];
    const held = counters.find((c) => c.staff_name === account.full_name) ?? counters.find((c) => !c.open) ?? counters[0];
    state.counterId = held?.id ?? null;
    render();
  }
}

main();
