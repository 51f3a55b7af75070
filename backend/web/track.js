// The public pages opened from a QR code with a phone: a queue ticket (/t/{id}?s=SECRET)
// and a dossier (/tra-cuu?ma=CODE&k=SECRET). No sign-in; the secret is the key, and a
// wrong one looks exactly like an unknown ticket or dossier.

const T = {
  vi: {
    other: "English", ticketTitle: "Lượt chờ của bạn", number: "Số thứ tự", center: "Trung tâm",
    field: "Lĩnh vực", procedure: "Thủ tục", ahead: "Người chờ trước bạn", wait: "Thời gian chờ dự kiến",
    minutes: "khoảng {n} phút", range: "{a}–{b} phút", unknown: "chưa ước tính được", issued: "Giờ lấy số",
    counter: "Mời đến quầy số {n}", notFound: "Không tìm thấy. Hãy kiểm tra lại mã hoặc hỏi cán bộ tại quầy.",
    busy: "Bạn tra cứu quá nhiều lần. Vui lòng chờ một phút rồi thử lại.", offline: "Không kết nối được. Vui lòng thử lại sau.",
    refresh: "Trang tự cập nhật mỗi 30 giây.",
    states: { waiting: "Đang chờ", called: "Đã gọi — mời đến quầy", serving: "Đang được phục vụ", done: "Đã phục vụ xong",
              no_show: "Đã gọi nhưng vắng mặt", cancelled: "Đã hủy", remote: "Chưa đến trung tâm", expired: "Đã hết hạn" },
    dossierTitle: "Tình trạng hồ sơ", code: "Mã hồ sơ", applicant: "Người nộp", status: "Trạng thái",
    received: "Ngày nhận", appointment: "Ngày hẹn trả kết quả", collect: "Nơi nhận kết quả", history: "Quá trình xử lý",
    timeliness: { early: "Hoàn thành trước hạn", on_time: "Hoàn thành đúng hạn", late: "Hoàn thành quá hạn",
                  within_deadline: "Đang trong hạn", overdue: "Đã quá hạn" },
    lookupTitle: "Tra cứu hồ sơ", codeLabel: "Mã hồ sơ (trên giấy hẹn)", secretLabel: "Mã tra cứu hoặc số CCCD", search: "Tra cứu",
  },
  en: {
    other: "Tiếng Việt", ticketTitle: "Your place in the queue", number: "Number", center: "Center",
    field: "Field", procedure: "Procedure", ahead: "People ahead of you", wait: "Estimated wait",
    minutes: "about {n} min", range: "{a}–{b} min", unknown: "not estimated yet", issued: "Issued at",
    counter: "Please go to counter {n}", notFound: "Not found. Please check the code or ask at a counter.",
    busy: "Too many lookups. Please wait a minute and try again.", offline: "Cannot connect. Please try again later.",
    refresh: "This page refreshes every 30 seconds.",
    states: { waiting: "Waiting", called: "Called — please go to the counter", serving: "Being served", done: "Served",
              no_show: "Called, did not come", cancelled: "Cancelled", remote: "Not checked in yet", expired: "Expired" },
    dossierTitle: "Dossier status", code: "Dossier code", applicant: "Applicant", status: "Status",
    received: "Received", appointment: "Result appointment", collect: "Collect the result at", history: "History",
    timeliness: { early: "Finished early", on_time: "Finished on time", late: "Finished late",
                  within_deadline: "Within the deadline", overdue: "Overdue" },
    lookupTitle: "Dossier lookup", codeLabel: "Dossier code (on the receipt)", secretLabel: "Lookup code or ID number", search: "Look up",
  },
};

let lang = localStorage.getItem("track.lang") || "vi";
const app = document.getElementById("app");
const langButton = document.getElementById("lang");
const fmt = (s, vars) => s.replace(/\{(\w+)\}/g, (_, k) => vars[k]);
const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const when = (iso) => new Date(iso).toLocaleString(lang === "vi" ? "vi-VN" : "en-GB", { timeZone: "Asia/Ho_Chi_Minh", dateStyle: "short", timeStyle: "short" });

async function get(url) {
  try {
    const r = await fetch(url, { headers: { accept: "application/json" } });
    if (r.status === 429) return { error: "busy" };
    if (!r.ok) return { error: "notFound" };
    return { data: await r.json() };
  } catch {
    return { error: "offline" };
  }
}

function ticketView(s) {
  const t = T[lang], k = s.ticket, w = s.wait;
  const wait = w.minutes == null ? t.unknown
    : w.low_minutes != null && w.high_minutes != null && w.high_minutes > w.minutes
      ? `${fmt(t.minutes, { n: w.minutes })} (${fmt(t.range, { a: w.low_minutes, b: w.high_minutes })})` : fmt(t.minutes, { n: w.minutes });
  const called = (k.state === "called" || k.state === "serving") && k.counter_number;
  return `<h1>${t.ticketTitle}</h1><section class="card">
    <div>${t.number}</div><div class="big">${k.number}</div>
    <span class="state ${k.state}">${esc(t.states[k.state] || k.state)}</span>
    ${called ? `<p><strong>${fmt(t.counter, { n: k.counter_number })}</strong></p>` : ""}
    <dl><dt>${t.center}</dt><dd>${esc(k.center_name)}</dd>
    <dt>${t.procedure}</dt><dd>${esc(lang === "vi" ? k.procedure_name_vi : k.procedure_name_en)}</dd>
    <dt>${t.field}</dt><dd>${esc(lang === "vi" ? k.field_name_vi : k.field_name_en)}</dd>
    ${k.state === "waiting" ? `<dt>${t.ahead}</dt><dd>${w.people_ahead}</dd><dt>${t.wait}</dt><dd>${wait}</dd>` : ""}
    <dt>${t.issued}</dt><dd>${when(k.issued_at)}</dd></dl></section><p>${t.refresh}</p>`;
}

function dossierView(d) {
  const t = T[lang];
  const steps = d.history.map((h) => `<li><strong>${esc(lang === "vi" ? h.status_vi : h.status_en)}</strong><time>${when(h.at)}</time></li>`).join("");
  return `<h1>${t.dossierTitle}</h1><section class="card">
    <span class="state">${esc(lang === "vi" ? d.status_vi : d.status_en)}</span>
    <dl><dt>${t.code}</dt><dd>${esc(d.code)}</dd>
    <dt>${t.procedure}</dt><dd>${esc(lang === "vi" ? d.procedure_name_vi : d.procedure_name_en)}</dd>
    <dt>${t.applicant}</dt><dd>${esc(d.applicant_masked)}</dd>
    <dt>${t.received}</dt><dd>${when(d.received_at)}</dd>
    <dt>${t.appointment}</dt><dd>${when(d.appointment_at)} — ${esc(t.timeliness[d.timeliness] || d.timeliness)}</dd>
    <dt>${t.collect}</dt><dd>${esc(d.return_center_name)}<br><small>${esc(d.return_center_address)}</small></dd></dl></section>
    <section class="card"><h2>${t.history}</h2><ol class="timeline">${steps}</ol></section>`;
}

function lookupForm(code = "", secret = "", error = "") {
  const t = T[lang];
  return `<h1>${t.lookupTitle}</h1><section class="card"><form id="lookup">
    <label>${t.codeLabel}<br><input name="ma" value="${esc(code)}" autocomplete="off" required></label>
    <label>${t.secretLabel}<br><input name="k" value="${esc(secret)}" autocomplete="off" required></label>
    <button class="primary" type="submit">${t.search}</button>
    ${error ? `<p class="error">${t[error]}</p>` : ""}</form></section>`;
}

async function render() {
  langButton.textContent = T[lang].other;
  document.documentElement.lang = lang;
  const params = new URLSearchParams(location.search);
  const ticket = location.pathname.match(/^\/t\/(\d+)$/);
  if (ticket) {
    const r = await get(`/api/tickets/${ticket[1]}?secret=${encodeURIComponent(params.get("s") || "")}`);
    app.innerHTML = r.data ? ticketView(r.data) : `<p class="error">${T[lang][r.error]}</p>`;
    return;
  }
  const code = params.get("ma") || "", secret = params.get("k") || "";
  if (code && secret) {
    const r = await get(`/api/dossiers/lookup?code=${encodeURIComponent(code)}&secret=${encodeURIComponent(secret)}`);
    if (r.data) {
      app.innerHTML = dossierView(r.data);
      return;
    }
    app.innerHTML = lookupForm(code, secret, r.error);
  } else {
    app.innerHTML = lookupForm(code, secret);
  }
  document.getElementById("lookup").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    history.replaceState(null, "", `/tra-cuu?ma=${encodeURIComponent(f.get("ma").trim())}&k=${encodeURIComponent(f.get("k").trim())}`);
    render();
  });
}

langButton.addEventListener("click", () => {
  lang = lang === "vi" ? "en" : "vi";
  localStorage.setItem("track.lang", lang);
  render();
});
render();
if (/^\/t\/\d+$/.test(location.pathname)) setInterval(render, 30_000);
