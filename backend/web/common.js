// Shared by the three pages: translations, the JSON API with the session token, live
// server-sent events that recover by themselves, the sign-in form and small helpers.

const STRINGS = {
  vi: {
    "app.counter": "Quầy một cửa", "app.display": "Bảng gọi số", "app.dashboard": "Bảng điều hành",
    "lang.other": "English", "signin.title": "Đăng nhập", "signin.username": "Tên đăng nhập",
    "signin.password": "Mật khẩu", "signin.submit": "Đăng nhập", "signout": "Đăng xuất",
    "signin.wrong": "Sai tên đăng nhập hoặc mật khẩu.",
    "live.on": "Đang kết nối trực tiếp", "live.off": "Mất kết nối — đang thử lại…", "live.connecting": "Đang kết nối…",
    "center": "Trung tâm", "counter": "Quầy", "counter.n": "Quầy {n}", "minutes": "{n} phút",
    "choose.center": "Chọn trung tâm", "choose.counter": "Chọn quầy", "open.counter": "Mở quầy",
    "close.counter": "Đóng quầy", "counter.closed": "Quầy chưa mở. Chọn quầy và bấm «Mở quầy».",
    "current": "Đang phục vụ", "no.current": "Chưa gọi số nào. Bấm «Gọi tiếp».",
    "call.next": "Gọi tiếp", "recall": "Gọi lại", "no.show": "Vắng mặt", "start": "Bắt đầu",
    "finish": "Kết thúc", "transfer": "Chuyển", "transfer.to": "Chuyển đến…",
    "rating.very_satisfied": "Rất hài lòng", "rating.satisfied": "Hài lòng", "rating.dissatisfied": "Không hài lòng",
    "finish.with": "Kết thúc và ghi ý kiến của công dân:",
    "queue.mine": "Hàng chờ của quầy", "queue.empty": "Không có ai đang chờ.",
    "procedure": "Thủ tục", "field": "Lĩnh vực", "waited": "Đã chờ", "priority": "Ưu tiên",
    "state.called": "Đã gọi", "state.serving": "Đang phục vụ", "state.waiting": "Đang chờ",
    "prio.elderly": "Người cao tuổi", "prio.disability": "Người khuyết tật", "prio.pregnant": "Phụ nữ mang thai",
    "prio.meritorious_service": "Người có công",
    "called.ok": "Đã gọi số {n}.", "queue.nobody": "Không còn ai chờ cho quầy này.",
    "shortcuts": "Phím tắt", "to.field": "Lĩnh vực: {name}", "to.counter": "Quầy {n}",
    "now.calling": "Mời công dân có số thứ tự", "go.to": "đến", "recent.calls": "Số vừa gọi",
    "waiting.by.field": "Đang chờ theo lĩnh vực", "waiting": "Đang chờ", "sound.on": "Âm thanh: bật",
    "sound.off": "Âm thanh: tắt", "sound.click": "Nhấn để bật âm thanh", "no.calls": "Chưa có số nào được gọi.",
    "overview": "Toàn tỉnh", "longest.wait": "Chờ lâu nhất (phút)", "avg.wait": "Chờ TB hôm nay (phút)", "served": "Đã phục vụ",
    "counters.open": "Quầy mở", "faults": "Sự cố kiosk / máy in", "no.faults": "Không",
    "issued": "Đã cấp số", "no.shows": "Vắng mặt", "avg.service": "Phục vụ TB",
    "fields": "Hàng chờ theo lĩnh vực", "counters": "Các quầy", "staff": "Cán bộ", "ticket": "Số hiện tại",
    "open": "Mở", "closed": "Đóng", "counter.fields": "Lĩnh vực phục vụ",
    "chart.waiting": "Số người chờ trong ngày", "chart.arrivals": "Lượt đến theo giờ", "chart.waits": "Phân bố thời gian chờ (phút)",
    "export.csv": "Tải CSV thống kê ngày", "back": "← Toàn tỉnh", "day": "Ngày", "open.display": "Mở bảng gọi số",
    "not.allowed": "Tài khoản này không có quyền xem trang này.", "kiosk.silent": "mất liên lạc",
    "printer.paper_near_end": "sắp hết giấy", "printer.paper_end": "hết giấy", "printer.cover_open": "nắp máy in mở",
    "printer.offline": "máy in mất kết nối", "printer.unknown": "chưa rõ", "printer.ok": "bình thường",
    "province.total": "Cả tỉnh", "avg.wait.kpi": "Chờ TB hôm nay", "minutes.unit": "phút", "fault.list": "Sự cố:",
    "hint.title": "Gợi ý điều phối", "hint.updated": "cập nhật {time}", "hint.expected": "Chờ dự kiến", "hint.target": "Mục tiêu",
    "hint.no.counter": "chưa mở quầy", "hint.needs": "Cần thêm quầy", "hint.spare": "Bớt được 1 quầy", "hint.over": "Quá mục tiêu",
    "hint.idle": "{n} lĩnh vực khác không có người chờ, không có quầy mở: {names}.", "hint.all.idle": "Chưa có ai chờ và chưa quầy nào mở.",
    "hint.how": "Chờ dự kiến: người cuối hàng còn phải chờ ≈ số người chờ ÷ số quầy mở của lĩnh vực × thời gian phục vụ trung bình gần đây của lĩnh vực. Quầy phục vụ nhiều lĩnh vực được tính ở mỗi lĩnh vực.",
    "hint.centers.count": "{n} trung tâm cần điều phối, nặng nhất trước",
    "hint.centers.count.one": "1 trung tâm cần điều phối",
    "hint.centers.none": "Không trung tâm nào cần điều phối: mọi lĩnh vực đều trong thời gian chờ mục tiêu.",
    "hint.more": "Xem thêm {n} trung tâm", "hint.less": "Thu gọn", "hint.error": "Chưa tải được gợi ý: {message}",
  },
  en: {
    "app.counter": "Service counter", "app.display": "Calling board", "app.dashboard": "Operations dashboard",
    "lang.other": "Tiếng Việt", "signin.title": "Sign in", "signin.username": "Username",
    "signin.password": "Password", "signin.submit": "Sign in", "signout": "Sign out",
    "signin.wrong": "Wrong username or password.",
    "live.on": "Live", "live.off": "Connection lost — retrying…", "live.connecting": "Connecting…",
    "center": "Center", "counter": "Counter", "counter.n": "Counter {n}", "minutes": "{n} min",
    "choose.center": "Choose a center", "choose.counter": "Choose a counter", "open.counter": "Open counter",
    "close.counter": "Close counter", "counter.closed": "The counter is not open. Choose one and press “Open counter”.",
    "current": "Now serving", "no.current": "No ticket called yet. Press “Call next”.",
    "call.next": "Call next", "recall": "Recall", "no.show": "No-show", "start": "Start",
    "finish": "Finish", "transfer": "Transfer", "transfer.to": "Transfer to…",
    "rating.very_satisfied": "Very satisfied", "rating.satisfied": "Satisfied", "rating.dissatisfied": "Dissatisfied",
    "finish.with": "Finish with the citizen's rating:",
    "queue.mine": "Queue of this counter", "queue.empty": "Nobody is waiting.",
    "procedure": "Procedure", "field": "Field", "waited": "Waited", "priority": "Priority",
    "state.called": "Called", "state.serving": "Serving", "state.waiting": "Waiting",
    "prio.elderly": "Elderly", "prio.disability": "Disability", "prio.pregnant": "Pregnant",
    "prio.meritorious_service": "Meritorious service",
    "called.ok": "Called {n}.", "queue.nobody": "Nobody is waiting for this counter.",
    "shortcuts": "Shortcuts", "to.field": "Field: {name}", "to.counter": "Counter {n}",
    "now.calling": "Now calling number", "go.to": "to", "recent.calls": "Recent calls",
    "waiting.by.field": "Waiting by field", "waiting": "Waiting", "sound.on": "Sound: on",
    "sound.off": "Sound: off", "sound.click": "Click to enable sound", "no.calls": "No number called yet.",
    "overview": "Province", "longest.wait": "Longest wait (min)", "avg.wait": "Avg wait today (min)", "served": "Served",
    "counters.open": "Counters open", "faults": "Kiosk / printer faults", "no.faults": "None",
    "issued": "Issued", "no.shows": "No-shows", "avg.service": "Avg service",
    "fields": "Queues by field", "counters": "Counters", "staff": "Staff", "ticket": "Current ticket",
    "open": "Open", "closed": "Closed", "counter.fields": "Fields served",
    "chart.waiting": "Waiting over the day", "chart.arrivals": "Arrivals per hour", "chart.waits": "Wait distribution (minutes)",
    "export.csv": "Download daily CSV", "back": "← Province", "day": "Day", "open.display": "Open calling board",
    "not.allowed": "This account may not view this page.", "kiosk.silent": "silent",
    "printer.paper_near_end": "paper near end", "printer.paper_end": "paper out", "printer.cover_open": "printer cover open",
    "printer.offline": "printer offline", "printer.unknown": "unknown", "printer.ok": "ok",
    "province.total": "Province", "avg.wait.kpi": "Avg wait today", "minutes.unit": "min", "fault.list": "Faults:",
    "hint.title": "Counter balancing hint", "hint.updated": "updated {time}", "hint.expected": "Expected wait", "hint.target": "Target",
    "hint.no.counter": "no counter open", "hint.needs": "Needs a counter", "hint.spare": "Can spare one", "hint.over": "Over target",
    "hint.idle": "{n} other fields with nobody waiting and no counter open: {names}.",
    "hint.idle.one": "1 other field with nobody waiting and no counter open: {names}.", "hint.all.idle": "Nobody is waiting and no counter is open.",
    "hint.how": "Expected wait: the last in line still waits ≈ people waiting ÷ the field's counters open × the field's recent average service time. A counter serving several fields counts in each.",
    "hint.centers.count": "{n} centers need a counter moved, worst first",
    "hint.centers.count.one": "1 center needs a counter moved",
    "hint.centers.none": "No center needs a counter moved: every field is within its target wait.",
    "hint.more": "Show {n} more centers", "hint.more.one": "Show 1 more center", "hint.less": "Show fewer", "hint.error": "Could not load the hint: {message}",
  },
};

export function lang() {
  return localStorage.getItem("lang") === "en" ? "en" : "vi";
}

/**
 * The text of `key` in the current language, with `{name}` placeholders filled; for
 * `n` = 1 the key's singular `key.one` when the language has one ("1 other field").
 */
export function t(key, vars = {}) {
  const strings = STRINGS[lang()];
  const s = (vars.n === 1 ? strings[key + ".one"] : undefined) ?? strings[key] ?? STRINGS.vi[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ""));
}

/**
 * Fills every `data-i18n` element (the page's `<title>` too) and the `data-i18n-title`,
 * `-placeholder` and `-label` (aria-label) attributes.
 */
export function applyI18n(root = document) {
  document.documentElement.lang = lang();
  root.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll("[data-i18n-placeholder]").forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
  root.querySelectorAll("[data-i18n-title]").forEach((el) => { el.title = t(el.dataset.i18nTitle); });
  root.querySelectorAll("[data-i18n-label]").forEach((el) => { el.setAttribute("aria-label", t(el.dataset.i18nLabel)); });
}

/** Wires the language button; `rerender` redraws what the page built from data. */
export function langButton(button, rerender) {
  const label = () => { button.textContent = t("lang.other"); };
  label();
  button.addEventListener("click", () => {
    localStorage.setItem("lang", lang() === "vi" ? "en" : "vi");
    applyI18n();
    label();
    rerender();
  });
}

export function token() {
  return sessionStorage.getItem("token");
}

/** An error answered by the API, with its HTTP status and `error` code. */
export class ApiFailure extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Calls the JSON API with the session token; throws ApiFailure on a non-2xx answer. */
export async function api(path, { method = "GET", body, text = false } = {}) {
  const headers = {};
  const tok = token();
  if (tok) headers.Authorization = "Bearer " + tok;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const resp = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!resp.ok) {
    let code = "http_" + resp.status, message = resp.statusText;
    try { const e = await resp.json(); code = e.error; message = e.message; } catch { /* not JSON */ }
    if (resp.status === 401) sessionStorage.removeItem("token");
    throw new ApiFailure(resp.status, code, message);
  }
  if (resp.status === 204) return null;
  return text ? resp.text() : resp.json();
}

/**
 * Subscribes to server-sent events. `onSync` runs on every (re)connection and on
 * `resync`, so the page refetches its snapshot after any gap; `onEvent` gets each
 * QueueEvent. EventSource retries by itself; if the browser gives up (CLOSED), a new one
 * is opened after a pause, so a display survives a backend restart.
 */
export function live(url, { onEvent, onSync, onStatus = () => {} }) {
  let es = null;
  const connect = () => {
    es = new EventSource(url);
    es.addEventListener("hello", () => { onStatus(true); onSync(); });
    es.addEventListener("resync", () => onSync());
    es.addEventListener("queue", (m) => {
      try { onEvent(JSON.parse(m.data)); } catch (e) { console.warn("bad event", e); }
    });
    es.onerror = () => {
      onStatus(false);
      if (es.readyState === EventSource.CLOSED) setTimeout(connect, 3000);
    };
  };
  connect();
  return { close: () => es && es.close() };
}

/**
 * Shows the state of a page's event stream in `node`: connecting, live, or lost and
 * retrying. Returns the `onStatus` function for `live()`. The text carries its `data-i18n`
 * key, so a language switch (`applyI18n`) translates it too; the dot before it comes
 * from the stylesheet (`.live[data-live]::before`). `compact` (the hall display) shows
 * only the dot while live, with the text as its tooltip.
 */
export function liveStatus(node, { compact = false } = {}) {
  const show = (status) => {
    node.dataset.live = status;
    node.classList.toggle("down", status === "off");
    const key = "live." + status;
    node.dataset.i18nTitle = key;
    node.title = t(key);
    if (compact && status === "on") {
      delete node.dataset.i18n;
      node.textContent = "";
    } else {
      node.dataset.i18n = key;
      node.textContent = t(key);
    }
  };
  show("connecting");
  return (ok) => show(ok ? "on" : "off");
}

/** Runs `fn` at most once per `ms`, at the end of a burst. */
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/**
 * Coalesces calls of the async `fn` for pages fed by a stream of events: the first call
 * after a quiet spell runs it `settle` ms later (a burst arrives together), never two
 * runs at once, never two starts within `every` ms (a number, or a function giving it),
 * and a call during a run or its pause brings exactly one more run, so the last change
 * is always fetched. Unlike a debounce, a steady stream of events cannot starve it: 100
 * events a second give one fetch per `every` ms.
 */
export function coalesce(fn, every, settle = 150) {
  let timer = null, running = false, again = false, lastStart = -Infinity;
  const gap = () => (typeof every === "function" ? every() : every);
  const run = async () => {
    timer = null;
    running = true;
    lastStart = Date.now();
    try {
      await fn();
    } catch (e) {
      console.warn("refresh failed", e);
    } finally {
      running = false;
      if (again) { again = false; schedule(); }
    }
  };
  const schedule = () => {
    if (running) { again = true; return; }
    if (timer !== null) return;
    timer = setTimeout(run, Math.max(settle, lastStart + gap() - Date.now()));
  };
  return schedule;
}

/** Builds an element: el("td", {class: "n"}, "text", child…). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** A center's name without the common prefix, for dense tables ("phường Hồng Gai"). */
export function shortCenterName(name) {
  return name.replace(/^Trung tâm Phục vụ hành chính công\s+/i, "");
}

export function minutesSince(iso) {
  return Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 60000));
}

export function fieldName(obj) {
  return lang() === "en" ? obj.field_name_en ?? obj.name_en : obj.field_name_vi ?? obj.name_vi;
}

export function procedureName(ticket) {
  return lang() === "en" ? ticket.procedure_name_en : ticket.procedure_name_vi;
}

/**
 * Shows the sign-in form in `box` until a sign-in succeeds; resolves with the account.
 * A stored token is tried first (GET /api/auth/me).
 */
export async function signIn(box) {
  if (token()) {
    try { return await api("/api/auth/me"); } catch { /* fall through to the form */ }
  }
  return new Promise((resolve) => {
    const error = el("p", { class: "error", role: "alert", id: "signin-error" });
    const user = el("input", { id: "username", name: "username", autocomplete: "username", required: true });
    const pass = el("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true });
    const form = el("form", { class: "signin card", id: "signin-form" },
      el("h2", { "data-i18n": "signin.title" }, t("signin.title")),
      el("label", {}, el("span", { "data-i18n": "signin.username" }, t("signin.username")), user),
      el("label", {}, el("span", { "data-i18n": "signin.password" }, t("signin.password")), pass),
      el("button", { type: "submit", class: "primary", id: "signin-submit", "data-i18n": "signin.submit" }, t("signin.submit")),
      error);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      error.textContent = "";
      try {
        const r = await api("/api/auth/login", { method: "POST", body: { username: user.value.trim(), password: pass.value } });
        sessionStorage.setItem("token", r.token);
        box.replaceChildren();
        resolve(r.account);
      } catch (e) {
        error.textContent = e.status === 401 ? t("signin.wrong") : e.message;
      }
    });
    box.replaceChildren(form);
    user.focus();
  });
}

export async function signOut() {
  sessionStorage.removeItem("token");
  location.reload();
}

/** Keeps a clock element showing HH:MM in Vietnam's time (the business day's zone). */
export function clock(node) {
  const tick = () => {
    node.textContent = new Date().toLocaleTimeString(lang() === "en" ? "en-GB" : "vi-VN", { hour: "2-digit", minute: "2-digit", timeZone: "Asia/Ho_Chi_Minh" });
  };
  tick();
  setInterval(tick, 10000);
}
