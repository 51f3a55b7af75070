//! The files of the web pages, compiled into the binary.

macro_rules! web_file {
    ($path:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/web/", $path))
    };
}

macro_rules! web_text {
    ($path:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/web/", $path))
    };
}

pub const INDEX_HTML: &str = web_text!("index.html");
pub const COUNTER_HTML: &str = web_text!("counter.html");
pub const DISPLAY_HTML: &str = web_text!("display.html");
pub const DASHBOARD_HTML: &str = web_text!("dashboard.html");
pub const TRACK_HTML: &str = web_text!("track.html");

/// Scripts and styles served under `/web/`.
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "style.css",
        "text/css; charset=utf-8",
        web_file!("style.css"),
    ),
    (
        "track.js",
        "text/javascript; charset=utf-8",
        web_file!("track.js"),
    ),
    (
        "common.js",
        "text/javascript; charset=utf-8",
        web_file!("common.js"),
    ),
    (
        "counter.js",
        "text/javascript; charset=utf-8",
        web_file!("counter.js"),
    ),
    (
        "display.js",
        "text/javascript; charset=utf-8",
        web_file!("display.js"),
    ),
    (
        "dashboard.js",
        "text/javascript; charset=utf-8",
        web_file!("dashboard.js"),
    ),
    (
        "speech.js",
        "text/javascript; charset=utf-8",
        web_file!("speech.js"),
    ),
];

/// The spoken-call clips (see `web/audio/make.sh`), served under `/web/audio/{id}.wav`.
pub const CLIPS: &[(&str, &[u8])] = &[
    ("intro", web_file!("audio/intro.wav")),
    ("to-counter", web_file!("audio/to-counter.wav")),
    ("d0", web_file!("audio/d0.wav")),
    ("d1", web_file!("audio/d1.wav")),
    ("d2", web_file!("audio/d2.wav")),
    ("d3", web_file!("audio/d3.wav")),
    ("d4", web_file!("audio/d4.wav")),
    ("d5", web_file!("audio/d5.wav")),
    ("d6", web_file!("audio/d6.wav")),
    ("d7", web_file!("audio/d7.wav")),
    ("d8", web_file!("audio/d8.wav")),
    ("d9", web_file!("audio/d9.wav")),
    ("muoi", web_file!("audio/muoi.wav")),
    ("muoi-tens", web_file!("audio/muoi-tens.wav")),
    ("mot-tens", web_file!("audio/mot-tens.wav")),
    ("tu", web_file!("audio/tu.wav")),
    ("lam", web_file!("audio/lam.wav")),
    ("linh", web_file!("audio/linh.wav")),
    ("tram", web_file!("audio/tram.wav")),
    ("nghin", web_file!("audio/nghin.wav")),
];

/// The bytes of a clip by id.
pub fn clip(id: &str) -> Option<&'static [u8]> {
    CLIPS.iter().find(|(name, _)| *name == id).map(|(_, b)| *b)
}

/// A file under `/web/` by its path: content type and bytes.
pub fn find(path: &str) -> Option<(&'static str, &'static [u8])> {
    if let Some(id) = path
        .strip_prefix("audio/")
        .and_then(|p| p.strip_suffix(".wav"))
    {
        return clip(id).map(|b| ("audio/wav", b));
    }
    FILES
        .iter()
        .find(|(name, _, _)| *name == path)
        .map(|(_, ct, b)| (*ct, *b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_clip_an_announcement_needs_exists() {
        for n in 0..=9999 {
            for id in super::super::speech::number_words(n) {
                assert!(clip(id).is_some(), "number {n} needs clip {id}");
            }
        }
        assert!(clip("intro").is_some() && clip("to-counter").is_some());
    }

    #[test]
    fn finds_scripts_and_audio_but_not_strangers() {
        assert!(find("common.js").is_some());
        assert_eq!(find("audio/d5.wav").map(|(ct, _)| ct), Some("audio/wav"));
        assert!(find("../Cargo.toml").is_none());
        assert!(find("audio/nope.wav").is_none());
    }
}
