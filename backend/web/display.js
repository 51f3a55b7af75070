// The hall display: the calls as "number → counter", the newest highlighted, the waiting
// count of each field, and a spoken announcement of every call. Read-only, no sign-in.

import { Announcer } from "/web/speech.js";
import { api, applyI18n, clock, el, fieldName, langButton, live, liveStatus, t } from "/web/common.js";

const $ = (id) => document.getElementById(id);
const announcer = new Announcer();
const MAX_CALLS = 7;
/** What the board shows; also read by the browser test. */
const board = { centerId: null, centerName: null, fields: [], calls: [], connected: false, lastCallAt: null };
window.hall = { board, announcer };

function centerParam() {
  return decodeURIComponent(location.pathname.split("/").filter(Boolean)[1] ?? "");
}

function render() {
  document.title = t("app.display") + (board.centerName ? " — " + board.centerName : "");
  const [latest, ...older] = board.calls;
  $("latest-number").textContent = latest ? latest.number : "—";
  $("latest-counter").textContent = latest ? t("counter.n", { n: latest.counter }) : t("no.calls");
  $("latest").classList.toggle("empty", !latest);
  $("calls").replaceChildren(...older.slice(0, MAX_CALLS - 1).map((c) =>
    el("li", {}, el("span", { class: "num" }, c.number), el("span", { class: "arrow" }, "→"), el("span", { class: "ctr" }, t("counter.n", { n: c.counter })))));
  // Fields with people waiting first (most first); empty ones after, smaller.
  const fields = [...board.fields].sort((a, b) => (b.waiting > 0) - (a.waiting > 0) || b.waiting - a.waiting);
  $("fields").replaceChildren(...fields.map((f) =>
    el("li", { class: f.waiting > 0 ? "" : "none" }, el("span", { class: "name" }, fieldName(f)), el("span", { class: "count" }, f.waiting))));
  const locked = !announcer.muted && announcer.ctx?.state !== "running";
  $("sound").textContent = announcer.muted ? "♪ " + t("sound.off") : locked ? "♪ " + t("sound.click") : "♪ " + t("sound.on");
}

function flash() {
  const node = $("latest");
  node.classList.remove("flash");
  void node.offsetWidth; // Restarts the CSS animation.
  node.classList.add("flash");
}

async function resync() {
  try {
    const snap = await api(`/api/centers/${board.centerId}/queue`);
    $("center-name").textContent = snap.center.name;
    board.centerName = snap.center.name;
    board.fields = snap.fields;
    board.calls = snap.recent_calls
      .filter((c) => c.counter_number)
      .map((c) => ({ id: c.id, number: c.number, counter: c.counter_number }));
    render();
  } catch (e) {
    console.warn("snapshot failed", e);
  }
}

function onEvent(ev) {
  for (const w of ev.waiting_by_field) {
    const f = board.fields.find((x) => x.field_id === w.field_id);
    if (f) f.waiting = w.waiting;
  }
  const tk = ev.ticket;
  if ((ev.kind === "called" || ev.kind === "recalled") && tk && tk.counter_number) {
    board.calls = [{ id: tk.id, number: tk.number, counter: tk.counter_number }, ...board.calls.filter((c) => c.id !== tk.id)].slice(0, 20);
    board.lastCallAt = Date.now();
    render();
    flash();
    announcer.say(tk.number, tk.counter_number);
  } else {
    render();
  }
}

async function main() {
  applyI18n();
  langButton($("lang"), render);
  clock($("clock"));
  const param = centerParam();
  const centers = await api("/api/centers");
  const center = centers.find((c) => String(c.id) === param || c.code.toLowerCase() === param.toLowerCase());
  if (!center) { $("center-name").textContent = "?"; return; }
  board.centerId = center.id;
  $("center-name").textContent = center.name;
  $("sound").addEventListener("click", async () => {
    // The first click also unlocks audio, which browsers allow only after a gesture.
    const wasRunning = announcer.ctx?.state === "running";
    const running = await announcer.unlock();
    if (running && !wasRunning) announcer.setMuted(false);
    else announcer.setMuted(!announcer.muted);
    render();
  });
  // Without a click this works only where autoplay is allowed (a TV started with
  // --autoplay-policy=no-user-gesture-required); otherwise the button asks for a click.
  await announcer.unlock();
  render();
  const status = liveStatus($("live"), { compact: true });
  live(`/api/centers/${center.id}/events`, {
    onSync: resync,
    onEvent,
    onStatus: (ok) => {
      board.connected = ok;
      status(ok);
    },
  });
}

main();
