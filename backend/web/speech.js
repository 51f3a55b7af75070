// The words of a spoken call as clip ids of /web/audio/{id}.wav. The same rules live in
// backend/src/web/speech.rs (which makes the WAV file for the report); the browser test
// checks that both agree.

const DIGITS = ["d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9"];

/** Clip ids for 0..9999 read the Vietnamese way (1023 = một nghìn không trăm hai mươi ba). */
export function numberWords(n) {
  n = Math.max(0, Math.min(9999, Math.floor(n)));
  if (n === 0) return ["d0"];
  const thousands = Math.floor(n / 1000), hundreds = Math.floor(n / 100) % 10;
  const tens = Math.floor(n / 10) % 10, units = n % 10, rest = n % 100;
  const words = [];
  if (thousands > 0) words.push(DIGITS[thousands], "nghin");
  if (hundreds > 0 || (thousands > 0 && rest > 0)) words.push(DIGITS[hundreds], "tram");
  if (rest === 0) return words;
  if (tens === 0) {
    if (n >= 100) words.push("linh");
    words.push(DIGITS[units]);
  } else if (tens === 1) {
    words.push("muoi");
    if (units === 5) words.push("lam");
    else if (units > 0) words.push(DIGITS[units]);
  } else {
    words.push(DIGITS[tens], "muoi-tens");
    if (units === 1) words.push("mot-tens");
    else if (units === 4) words.push("tu");
    else if (units === 5) words.push("lam");
    else if (units > 0) words.push(DIGITS[units]);
  }
  return words;
}

/** The clips of "Mời công dân có số thứ tự {ticket} đến quầy số {counter}". */
export function announcement(ticket, counter) {
  return ["intro", ...numberWords(ticket), "to-counter", ...numberWords(counter)];
}

const WORD_GAP = 0.06;
const PHRASE_GAP = 0.25;

/**
 * Plays announcements one after another, never overlapping, from clips cached as decoded
 * audio buffers. Works with no internet: the clips come from the backend's own binary.
 */
export class Announcer {
  constructor(base = "/web/audio/") {
    this.base = base;
    this.queue = [];
    this.playing = false;
    this.muted = localStorage.getItem("muted") === "1";
    this.buffers = new Map();
    this.ctx = null;
    /** Every announcement queued, for tests and diagnostics. */
    this.log = [];
  }

  /** Creates or resumes the audio context; call from a click (autoplay rules). */
  async unlock() {
    if (!this.ctx) this.ctx = new (window.AudioContext || window.webkitAudioContext)();
    if (this.ctx.state === "suspended") await this.ctx.resume().catch(() => {});
    return this.ctx.state === "running";
  }

  setMuted(muted) {
    this.muted = muted;
    localStorage.setItem("muted", muted ? "1" : "0");
    if (muted) this.queue.length = 0;
  }

  say(ticket, counter) {
    const clips = announcement(ticket, counter);
    this.log.push({ ticket, counter, clips });
    if (this.muted) return;
    this.queue.push(clips);
    if (!this.playing) this.drain();
  }

  async drain() {
    this.playing = true;
    try {
      while (this.queue.length > 0) {
        const clips = this.queue.shift();
        try {
          await this.play(clips);
        } catch (e) {
          console.warn("announcement failed", e);
        }
      }
    } finally {
      this.playing = false;
    }
  }

  async buffer(id) {
    if (!this.buffers.has(id)) {
      const p = fetch(this.base + id + ".wav")
        .then((r) => { if (!r.ok) throw new Error("clip " + id + ": " + r.status); return r.arrayBuffer(); })
        .then((b) => this.ctx.decodeAudioData(b));
      this.buffers.set(id, p);
      p.catch(() => this.buffers.delete(id));
    }
    return this.buffers.get(id);
  }

  async play(clips) {
    if (!this.ctx) await this.unlock();
    if (this.ctx.state !== "running") return;
    const buffers = await Promise.all(clips.map((id) => this.buffer(id)));
    let at = this.ctx.currentTime + 0.05;
    let last = null;
    buffers.forEach((buf, i) => {
      if (i > 0) {
        const phrase = clips[i] === "to-counter" || clips[i - 1] === "intro" || clips[i - 1] === "to-counter";
        at += phrase ? PHRASE_GAP : WORD_GAP;
      }
      const src = this.ctx.createBufferSource();
      src.buffer = buf;
      src.connect(this.ctx.destination);
      src.start(at);
      at += buf.duration;
      last = src;
    });
    if (last) await new Promise((resolve) => { last.onended = resolve; });
    // A short rest between two announcements.
    await new Promise((r) => setTimeout(r, 600));
  }
}
