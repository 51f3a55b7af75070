//! Checks over the `.slint` sources: every `@tr()` string has an English translation, and
//! every pair of text and background colours of the theme has a contrast of 4.5:1 or more.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

fn slint_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            slint_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "slint") {
            out.push(path);
        }
    }
}

fn unescape(text: &str) -> String {
    text.replace("\\\"", "\"").replace("\\\\", "\\")
}

/// The string literals that follow `@tr(` in the sources.
fn tr_strings() -> BTreeSet<String> {
    let mut files = Vec::new();
    slint_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("ui"),
        &mut files,
    );
    let mut strings = BTreeSet::new();
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        for (start, _) in source.match_indices("@tr(\"") {
            let rest = &source[start + 5..];
            let mut end = 0;
            let bytes = rest.as_bytes();
            while bytes[end] != b'"' || (end > 0 && bytes[end - 1] == b'\\') {
                end += 1;
            }
            strings.insert(unescape(&rest[..end]));
        }
    }
    strings
}

fn po_entries() -> HashMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("lang/en/LC_MESSAGES/kiosk.po");
    let po = std::fs::read_to_string(path).unwrap();
    let mut entries = HashMap::new();
    let mut id = None;
    for line in po.lines() {
        if let Some(rest) = line.strip_prefix("msgid \"") {
            id = Some(unescape(rest.trim_end_matches('"')));
        } else if let Some(rest) = line.strip_prefix("msgstr \"") {
            if let Some(id) = id.take() {
                entries.insert(id, unescape(rest.trim_end_matches('"')));
            }
        }
    }
    entries
}

#[test]
fn every_screen_string_has_an_english_translation() {
    let entries = po_entries();
    let strings = tr_strings();
    assert!(strings.len() > 50, "found only {} strings", strings.len());
    let missing: Vec<&String> = strings
        .iter()
        .filter(|s| entries.get(*s).is_none_or(|t| t.is_empty()))
        .collect();
    assert!(missing.is_empty(), "untranslated: {missing:#?}");
    for (id, translation) in &entries {
        if id.is_empty() {
            continue;
        }
        assert!(strings.contains(id), "stale translation of {id:?}");
        assert_eq!(
            id.matches("{}").count(),
            translation.matches("{}").count(),
            "placeholders of {id:?}"
        );
    }
}

fn theme_colors() -> HashMap<String, [f64; 3]> {
    let source =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/theme.slint"))
            .unwrap();
    let mut colors = HashMap::new();
    for line in source.lines() {
        let Some(rest) = line.trim().strip_prefix("out property <color> ") else {
            continue;
        };
        let (name, value) = rest.split_once(": #").unwrap();
        let hex = &value[..6];
        let channel = |i: usize| f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
        colors.insert(name.to_owned(), [channel(0), channel(2), channel(4)]);
    }
    colors
}

fn luminance([r, g, b]: [f64; 3]) -> f64 {
    let linear = |c: f64| {
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

fn contrast(a: [f64; 3], b: [f64; 3]) -> f64 {
    let (light, dark) = {
        let (la, lb) = (luminance(a), luminance(b));
        if la > lb {
            (la, lb)
        } else {
            (lb, la)
        }
    };
    (light + 0.05) / (dark + 0.05)
}

#[test]
fn text_colours_have_a_contrast_of_at_least_4_5() {
    let colors = theme_colors();
    let key_dark = [
        f64::from(0xd5) / 255.0,
        f64::from(0xdc) / 255.0,
        f64::from(0xe5) / 255.0,
    ];
    let pairs = [
        ("ink", "page"),
        ("ink", "card"),
        ("ink", "pressed-light"),
        ("ink", "notice-soft"),
        ("ink", "danger-soft"),
        ("ink-soft", "page"),
        ("ink-soft", "card"),
        ("ink-soft", "notice-soft"),
        ("on-dark", "header"),
        ("on-dark", "primary"),
        ("on-dark", "primary-pressed"),
        ("primary", "card"),
        ("primary", "pressed-light"),
        ("primary-pressed", "card"),
        ("primary-pressed", "pressed-light"),
        ("danger", "page"),
        ("danger", "danger-soft"),
        ("success", "page"),
        ("success", "card"),
        ("success", "notice-soft"),
    ];
    for (text, background) in pairs {
        let ratio = contrast(colors[text], colors[background]);
        assert!(ratio >= 4.5, "{text} on {background}: {ratio:.2}");
    }
    assert!(contrast(colors["ink"], key_dark) >= 4.5, "keys");
}
