// The manager dashboard: a sortable province overview and, per center, its queues by
// field, its counters with ticket and officer, SVG charts of the day and the CSV export.
// Both views show the balancing hint (which field needs a counter moved to it): the
// center's panel with its fields, and on the overview the centers that need one.

import { api, applyI18n, coalesce, el, fieldName, lang, langButton, live, liveStatus, shortCenterName, signIn, signOut, t } from "/web/common.js";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
const view = {
  account: null, overview: [], sort: { key: "waiting", dir: -1 }, centerId: null, snapshot: null, day: null,
  // The balancing hint of the center shown, the province's list of centers that need one,
  // when each was fetched, and the last failure (shown instead of stale advice).
  hint: null, hintAt: null, hintError: null, hints: null, hintsAt: null, hintsError: null, hintsOpen: false,
};
window.dashboard = view;

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

const W = 420, H = 190, PAD = { l: 34, r: 8, t: 10, b: 24 };

/** A chart frame: y grid with labels; returns [svg, x(i), y(v), plot width]. */
function frame(maxValue, count) {
  const max = Math.max(1, maxValue);
  const step = Math.max(1, Math.ceil(max / 4));
  const top = step * 4;
  const pw = W - PAD.l - PAD.r, ph = H - PAD.t - PAD.b;
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img" });
  const y = (v) => PAD.t + ph - (v / top) * ph;
  for (let v = 0; v <= top; v += step) {
    root.append(svg("line", { x1: PAD.l, x2: W - PAD.r, y1: y(v), y2: y(v), class: "grid" }));
    root.append(svg("text", { x: PAD.l - 5, y: y(v) + 4, class: "axis", "text-anchor": "end" }, v));
  }
  const x = (i) => PAD.l + (count <= 1 ? 0 : (i / (count - 1)) * pw);
  return { root, x, y, pw, ph };
}

function lineChart(points) {
  const f = frame(Math.max(0, ...points.map((p) => p.waiting)), points.length);
  if (points.length > 0) {
    const d = points.map((p, i) => `${i ? "L" : "M"}${f.x(i).toFixed(1)},${f.y(p.waiting).toFixed(1)}`).join(" ");
    f.root.append(svg("path", { d: d + ` L${f.x(points.length - 1)},${f.y(0)} L${f.x(0)},${f.y(0)} Z`, class: "area" }));
    f.root.append(svg("path", { d, class: "line" }));
  }
  // Time labels every 15 min to 3 h, whichever gives at most six; the points are 15 min
  // apart (and a last one at "now").
  const span = points.length ? points[points.length - 1].minute - points[0].minute : 0;
  const every = [15, 30, 60, 120, 180].find((m) => span / m <= 6) ?? 240;
  const hhmm = (m) => `${Math.floor(m / 60)}h${m % 60 ? String(m % 60).padStart(2, "0") : ""}`;
  points.forEach((p, i) => {
    if (p.minute % every !== 0) return;
    const anchor = i === 0 && points.length > 1 ? "start" : i === points.length - 1 && i > 0 ? "end" : "middle";
    f.root.append(svg("text", { x: f.x(i), y: H - 6, class: "axis", "text-anchor": anchor }, hhmm(p.minute)));
  });
  return f.root;
}

function barChart(values, labels) {
  const f = frame(Math.max(0, ...values), values.length + 1);
  const bw = f.pw / values.length;
  values.forEach((v, i) => {
    const x = PAD.l + i * bw;
    f.root.append(svg("rect", { x: x + 2, y: f.y(v), width: Math.max(1, bw - 4), height: f.y(0) - f.y(v), class: "bar" },
      svg("title", {}, `${labels[i]}: ${v}`)));
    if (labels[i] !== "") f.root.append(svg("text", { x: x + bw / 2, y: H - 6, class: "axis", "text-anchor": "middle" }, labels[i]));
  });
  return f.root;
}

/** "Kiosk 1: hết giấy — hết giấy khi in số 1018", without the center's name. */
function faultText(k) {
  const name = k.name.split(/\s[–-]\s/)[0];
  const what = k.silent ? t("kiosk.silent") : t("printer." + k.printer_health);
  return `${name}: ${what}${k.fault ? " — " + k.fault : ""}`;
}

function overviewRows() {
  return view.overview.map((o) => ({
    id: o.center.id, name: shortCenterName(o.center.name), waiting: o.center.waiting, longest: o.center.longest_wait_min ?? -1,
    avg: o.avg_wait_min ?? -1, served: o.center.served_today, open: o.center.counters_open,
    faults: o.kiosk_faults.length, faultText: o.kiosk_faults.map(faultText).join("; "),
  }));
}

function renderOverview() {
  const { key, dir } = view.sort;
  const rows = overviewRows().sort((a, b) => {
    const va = a[key], vb = b[key];
    return (typeof va === "string" ? va.localeCompare(vb, "vi") : va - vb) * dir;
  });
  document.querySelectorAll("#overview-table th").forEach((th) => {
    th.setAttribute("aria-sort", th.dataset.sort === key ? (dir > 0 ? "ascending" : "descending") : "none");
  });
  const all = overviewRows();
  const sum = (k) => all.reduce((n, r) => n + r[k], 0);
  const kpi = (label, value) => el("div", { class: "kpi" }, el("span", { class: "v" }, value), el("span", { class: "l" }, label));
  $("province-kpis").replaceChildren(
    kpi(t("waiting"), sum("waiting")), kpi(t("served"), sum("served")), kpi(t("counters.open"), sum("open")),
    kpi(t("longest.wait"), Math.max(0, ...all.map((r) => r.longest))), kpi(t("faults"), sum("faults")));
  const dash = (v) => (v < 0 ? "—" : v);
  $("overview-table").tBodies[0].replaceChildren(...rows.map((r) =>
    el("tr", { class: "clickable" + (r.faults ? " fault" : ""), dataset: { center: r.id }, onclick: () => { location.hash = "center=" + r.id; } },
      el("td", {}, r.name), el("td", { class: "n" + (r.waiting > 20 ? " hot" : "") }, r.waiting),
      el("td", { class: "n" }, dash(r.longest)), el("td", { class: "n" }, dash(r.avg)),
      el("td", { class: "n" }, r.served), el("td", { class: "n" }, r.open),
      el("td", { class: r.faults ? "fault-text" : "muted" }, r.faults ? r.faultText : t("no.faults")))));
}

async function loadOverview() {
  view.overview = await api("/api/stats/overview");
  renderOverview();
}

function fmtDuration(s) {
  if (s === null || s === undefined) return "—";
  return s < 60 ? `${s} s` : t("minutes", { n: Math.round(s / 60) });
}

async function loadCenter() {
  const id = view.centerId;
  const day = $("day").value;
  const [snap, stats] = await Promise.all([
    api(`/api/staff/centers/${id}/queue`),
    api(`/api/stats/centers/${id}` + (day ? `?day=${day}` : "")),
  ]);
  view.snapshot = snap;
  view.stats = stats;
  renderCenter();
}

function renderCenter() {
  const snap = view.snapshot, stats = view.stats;
  if (!snap || !stats) return;
  $("center-title").textContent = snap.center.name;
  $("display-link").href = `/display/${snap.center.id}`;
  if (!$("day").value) $("day").value = stats.day;
  const kpi = (label, value, id) => el("div", { class: "kpi", id }, el("span", { class: "v" }, value), el("span", { class: "l" }, label));
  $("kpis").replaceChildren(
    kpi(t("waiting"), snap.center.waiting, "kpi-waiting"), kpi(t("issued"), stats.issued, "kpi-issued"),
    kpi(t("served"), stats.served, "kpi-served"), kpi(t("no.shows"), stats.no_shows, "kpi-noshows"),
    kpi(t("avg.wait.kpi"), fmtDuration(stats.avg_wait_s), "kpi-wait"), kpi(t("avg.service"), fmtDuration(stats.avg_service_s), "kpi-service"),
    kpi(t("counters.open"), `${snap.center.counters_open}/${snap.counters.length}`, "kpi-open"),
    kpi(t("faults"), stats.kiosk_faults.length, "kpi-faults"));
  $("center-faults").hidden = stats.kiosk_faults.length === 0;
  $("center-faults").textContent = t("fault.list") + " " + stats.kiosk_faults.map(faultText).join("; ");
  // The fields' queues are in the balancing hint's table (renderHint): one wait per field.
  const fieldNames = new Map(snap.fields.map((f) => [f.field_id, fieldName(f)]));
  $("counters-table").tBodies[0].replaceChildren(
    el("tr", {}, el("th", {}, t("counter")), el("th", {}, ""), el("th", {}, t("counter.fields")), el("th", {}, t("staff")),
      el("th", { class: "n" }, t("ticket"))),
    ...snap.counters.map((c) => el("tr", { id: "counter-row-" + c.number },
      el("td", {}, t("counter.n", { n: c.number })),
      el("td", {}, el("span", { class: "badge " + (c.open ? "on" : "off") }, c.open ? t("open") : t("closed"))),
      el("td", { class: "wrap" }, c.field_ids.map((id) => fieldNames.get(id) ?? "?").join(", ")),
      el("td", {}, c.staff_name ?? ""),
      el("td", { class: "n num" }, c.current ? `${c.current.number} · ${t("state." + c.current.state)}` : ""))));
  const c = stats.charts;
  $("chart-waiting").replaceChildren(lineChart(c.waiting_over_day));
  // Office hours 7h–18h, widened to any hour that saw arrivals.
  const busy = c.arrivals_per_hour.map((n, h) => (n > 0 ? h : null)).filter((h) => h !== null);
  const from = Math.min(7, ...busy), to = Math.max(17, ...busy);
  const hours = c.arrivals_per_hour.slice(from, to + 1);
  const every = hours.length > 14 ? 3 : 2;
  $("chart-arrivals").replaceChildren(barChart(hours, hours.map((_, i) => (i % every === 0 ? `${i + from}h` : ""))));
  $("chart-waits").replaceChildren(barChart(c.wait_distribution.map((b) => b.tickets),
    c.wait_distribution.map((b) => (b.to_min === null ? `${b.from_min}+` : `${b.from_min}–${b.to_min}`))));
}

/** How many centers the overview lists before "show more". */
const HINTS_SHOWN = 3;

function clockText(date) {
  return date.toLocaleTimeString(lang() === "en" ? "en-GB" : "vi-VN", { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: "Asia/Ho_Chi_Minh" });
}

function hintMessage(h) {
  return lang() === "en" && h.message_en ? h.message_en : h.message_vi;
}

async function loadHint() {
  const id = view.centerId;
  try {
    const hint = await api(`/api/centers/${id}/hint`);
    if (view.centerId !== id) return;
    Object.assign(view, { hint, hintAt: new Date(), hintError: null });
  } catch (e) {
    if (view.centerId !== id) return;
    view.hintError = e;
  }
  renderHint();
}

/** The center's panel: the advice, then one row per field with people waiting or a counter open. */
function renderHint() {
  const h = view.hint && view.hint.center_id === view.centerId ? view.hint : null;
  $("hint").hidden = !h && !view.hintError;
  if (view.hintError || !h) {
    $("hint").className = "card hint";
    $("hint").dataset.toField = "";
    $("hint-message").textContent = view.hintError ? t("hint.error", { message: view.hintError.message }) : "";
    $("hint-updated").textContent = "";
    $("hint-fields").tBodies[0].replaceChildren();
    $("hint-idle").hidden = true;
    return;
  }
  const needed = h.move_to_field_id !== null && h.move_to_field_id !== undefined;
  $("hint").className = "card hint " + (needed ? "needed" : "calm");
  $("hint").dataset.toField = needed ? h.move_to_field_id : "";
  $("hint-message").textContent = hintMessage(h);
  $("hint-updated").textContent = view.hintAt ? t("hint.updated", { time: clockText(view.hintAt) }) : "";
  const active = h.fields.filter((f) => f.waiting > 0 || f.counters_open > 0);
  const idle = h.fields.length - active.length;
  const wait = (f) => (f.expected_wait_min === null ? t("hint.no.counter") : t("minutes", { n: f.expected_wait_min }));
  const mark = (f) => {
    if (f.field_id === h.move_to_field_id) return el("span", { class: "badge need" }, t("hint.needs"));
    if (f.field_id === h.move_from_field_id) return el("span", { class: "badge spare" }, t("hint.spare"));
    if (f.over_target) return el("span", { class: "badge need" }, t("hint.over"));
    return "";
  };
  $("hint-fields").tBodies[0].replaceChildren(
    el("tr", {}, el("th", {}, t("field")), el("th", { class: "n" }, t("waiting")), el("th", { class: "n" }, t("counters.open")),
      el("th", { class: "n" }, t("hint.expected")), el("th", { class: "n" }, t("hint.target")), el("th", {}, "")),
    ...active.map((f) => el("tr", { id: "hint-field-" + f.field_id, class: f.over_target ? "over" : "" },
      el("td", {}, fieldName(f)), el("td", { class: "n" }, f.waiting),
      el("td", { class: "n" }, `${f.counters_open}/${f.counters_total}`),
      el("td", { class: "n wait" }, wait(f)), el("td", { class: "n" }, t("minutes", { n: f.target_min })),
      el("td", {}, mark(f)))));
  $("hint-fields").hidden = active.length === 0;
  $("hint-idle").hidden = idle === 0;
  const idleNames = h.fields.filter((f) => !active.includes(f)).map(fieldName).join(", ");
  $("hint-idle").textContent = active.length === 0 ? t("hint.all.idle") : t("hint.idle", { n: idle, names: idleNames });
}

async function loadHints() {
  try {
    view.hints = await api("/api/hints");
    view.hintsAt = new Date();
    view.hintsError = null;
  } catch (e) {
    view.hintsError = e;
  }
  renderHints();
}

/** The overview's list: only the centers that need a counter moved, worst first. */
function renderHints() {
  if (!view.hints && !view.hintsError) return;
  $("hints").hidden = false;
  const list = view.hints ?? [];
  $("hints").classList.toggle("needed", list.length > 0);
  $("hints-count").textContent = list.length ? t("hint.centers.count", { n: list.length }) : "";
  $("hints-updated").textContent = view.hintsAt ? t("hint.updated", { time: clockText(view.hintsAt) }) : "";
  const shown = view.hintsOpen ? list : list.slice(0, HINTS_SHOWN);
  const items = view.hintsError
    ? [el("li", { class: "error" }, t("hint.error", { message: view.hintsError.message }))]
    : list.length === 0
      ? [el("li", { class: "calm" }, t("hint.centers.none"))]
      : shown.map((h) => el("li", { class: "clickable", dataset: { center: h.center_id }, tabindex: 0, role: "link",
          onclick: () => { location.hash = "center=" + h.center_id; },
          onkeydown: (ev) => { if (ev.key === "Enter") location.hash = "center=" + h.center_id; } },
        el("strong", { class: "hint-center" }, shortCenterName(h.center_name)), " ",
        el("span", {}, hintMessage(h))));
  $("hints-list").replaceChildren(...items);
  const more = list.length - HINTS_SHOWN;
  $("hints-more").hidden = more <= 0;
  $("hints-more").textContent = view.hintsOpen ? t("hint.less") : t("hint.more", { n: more });
}

async function exportCsv() {
  const day = $("day").value;
  const csv = await api(`/api/stats/centers/${view.centerId}/export.csv` + (day ? `?day=${day}` : ""), { text: true });
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const a = el("a", { href: url, download: `thong-ke-${view.snapshot.center.code}-${day}.csv` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

async function route() {
  const m = /center=(\d+)/.exec(location.hash);
  const own = view.account.center_id;
  view.centerId = m ? Number(m[1]) : own ?? null;
  $("back").hidden = !!own;
  // Another center's advice must not linger while this one's loads.
  if (view.hint && view.hint.center_id !== view.centerId) {
    Object.assign(view, { hint: null, hintAt: null, hintError: null });
    renderHint();
  }
  try {
    if (view.centerId) {
      $("overview").hidden = true;
      $("center").hidden = false;
      await Promise.all([loadCenter(), loadHint()]);
    } else {
      $("center").hidden = true;
      $("overview").hidden = false;
      await Promise.all([loadOverview(), loadHints()]);
    }
  } catch (e) {
    if (e.status === 401) location.reload();
    $("denied").hidden = false;
    $("denied").textContent = e.status === 403 ? t("not.allowed") : e.message;
  }
}

// Events can come by the hundred a second: at most one refresh a second on a center's
// page and one every three seconds on the overview (every center's figures and hints),
// and always one after the last event.
const refresh = coalesce(
  () => (view.centerId ? Promise.all([loadCenter(), loadHint()]) : Promise.all([loadOverview(), loadHints()])),
  () => (view.centerId ? 1000 : 3000));

async function main() {
  applyI18n();
  langButton($("lang"), () => { renderOverview(); renderCenter(); renderHint(); renderHints(); });
  $("signout").addEventListener("click", signOut);
  view.account = await signIn($("signin-box"));
  $("who").textContent = view.account.full_name;
  $("signout").hidden = false;
  if (view.account.role === "counter_staff") {
    $("denied").hidden = false;
    return;
  }
  document.querySelectorAll("#overview-table th[data-sort]").forEach((th) => th.addEventListener("click", () => {
    const key = th.dataset.sort;
    view.sort = { key, dir: view.sort.key === key ? -view.sort.dir : key === "name" ? 1 : -1 };
    renderOverview();
  }));
  $("back").addEventListener("click", () => { location.hash = ""; });
  $("hints-more").addEventListener("click", () => { view.hintsOpen = !view.hintsOpen; renderHints(); });
  $("export").addEventListener("click", () => exportCsv().catch((e) => alert(e.message)));
  $("day").addEventListener("change", () => loadCenter());
  window.addEventListener("hashchange", route);
  await route();
  live("/api/events", {
    onSync: refresh,
    onEvent: (ev) => { if (!view.centerId || ev.center_id === view.centerId) refresh(); },
    onStatus: liveStatus($("live")),
  });
  // Waits grow without events: refresh the figures and the hint every half minute.
  setInterval(refresh, 30000);
}

main();
