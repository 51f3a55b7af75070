//! The kiosk's configuration: one struct, from flags, environment variables and an
//! optional TOML file, in that order of precedence. With no configuration at all the
//! kiosk runs `--demo`-like defaults against a local backend.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser};

use crate::controller::Timeouts;
use crate::text::Language;

/// The citizen's self-service kiosk of a public administration service center.
#[derive(Debug, Clone, Parser)]
#[command(name = "kiosk", version, about)]
pub struct Config {
    /// A TOML file with any of the settings below (keys as the long flags, with `_` for
    /// `-`); flags and environment variables override it.
    #[arg(long, env = "KIOSK_CONFIG")]
    pub config: Option<PathBuf>,

    /// Run against the local demo backend (http://127.0.0.1:8080, token demo-kiosk-1) with
    /// the virtual printer saving tickets as PNG under ./out/tickets.
    #[arg(long)]
    pub demo: bool,

    /// Run with an in-memory backend and printer: no server, no device (for trying the
    /// screens).
    #[arg(long)]
    pub offline_demo: bool,

    /// Render every screen in both languages to PNG files in this directory, with no
    /// display, then exit.
    #[arg(long, value_name = "DIR")]
    pub screenshot: Option<PathBuf>,

    /// The backend's base URL.
    #[arg(
        long,
        env = "KIOSK_BACKEND_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    pub backend_url: String,

    /// The kiosk's bearer token, as the backend issued it.
    #[arg(long, env = "KIOSK_TOKEN", default_value = "demo-kiosk-1")]
    pub token: String,

    /// The center the kiosk stands in. Informative: the backend knows it from the token,
    /// and the kiosk warns when they differ.
    #[arg(long, env = "KIOSK_CENTER_ID")]
    pub center_id: Option<i64>,

    /// The ticket printer: `virtual:DIR` (PNG files), `serial:/dev/ttyUSB0[@baud]`,
    /// `tcp:host:port`, `usb:/dev/usb/lp0`, `file:PATH` (raw ESC/POS bytes), or `memory`.
    #[arg(long, env = "KIOSK_PRINTER", default_value = "virtual:out/tickets")]
    pub printer: String,

    /// The paper width in millimetres: 58 or 80.
    #[arg(long, env = "KIOSK_PAPER_MM", default_value_t = 80)]
    pub paper_mm: u32,

    /// The scanner of dossier receipts: `serial:/dev/ttyACM0[@baud]`, or `wedge` for a
    /// scanner that types like a keyboard (the default).
    #[arg(long, env = "KIOSK_SCANNER", default_value = "wedge")]
    pub scanner: String,

    /// The language a new citizen starts in: `vi` or `en`.
    #[arg(long, env = "KIOSK_LANGUAGE", default_value = "vi")]
    pub language: String,

    /// Seconds without a touch before any screen returns home.
    #[arg(long, env = "KIOSK_IDLE_SECS", default_value_t = 60)]
    pub idle_secs: u64,

    /// Seconds the "take your ticket" screen stays.
    #[arg(long, env = "KIOSK_DONE_SECS", default_value_t = 15)]
    pub done_secs: u64,

    /// Seconds the "printer problem" screen stays (people photograph the number).
    #[arg(long, env = "KIOSK_PRINT_FAILED_SECS", default_value_t = 60)]
    pub print_failed_secs: u64,

    /// Seconds between checks of the backend on the home, closed and offline screens.
    #[arg(long, env = "KIOSK_REFRESH_SECS", default_value_t = 30)]
    pub refresh_secs: u64,

    /// Seconds between heartbeats to the backend.
    #[arg(long, env = "KIOSK_HEARTBEAT_SECS", default_value_t = 30)]
    pub heartbeat_secs: u64,

    /// Seconds before a backend request counts as failed.
    #[arg(long, env = "KIOSK_HTTP_TIMEOUT_SECS", default_value_t = 5)]
    pub http_timeout_secs: u64,

    /// The screen's pixel density in dots per inch; touch targets are at least 15 mm.
    #[arg(long, env = "KIOSK_DPI", default_value_t = 96.0)]
    pub dpi: f32,

    /// The window's width in pixels (the screen's, when fullscreen).
    #[arg(long, env = "KIOSK_WIDTH", default_value_t = 1080)]
    pub width: u32,

    /// The window's height in pixels.
    #[arg(long, env = "KIOSK_HEIGHT", default_value_t = 1920)]
    pub height: u32,

    /// Show a window instead of covering the whole screen.
    #[arg(long, env = "KIOSK_WINDOWED")]
    pub windowed: bool,

    /// In a window, draw the whole screen at this scale, so that a 1080×1920 kiosk fits a
    /// desktop (0.5: a 540×960 window). SLINT_SCALE_FACTOR, when set, wins.
    #[arg(long, env = "KIOSK_WINDOW_SCALE", default_value_t = 0.5)]
    pub window_scale: f32,

    /// Quit after the first frame is shown and print the start-up time (for measuring).
    #[arg(long, hide = true)]
    pub exit_after_first_frame: bool,
}

impl Config {
    /// Reads flags and environment, then fills what they left at its default from the
    /// configuration file, when one is given.
    pub fn load() -> anyhow::Result<Config> {
        Self::load_from(std::env::args_os())
    }

    /// Like [`Config::load`] with explicit arguments.
    pub fn load_from<I, T>(args: I) -> anyhow::Result<Config>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let matches = Config::command().get_matches_from(args);
        let mut config = Config::from_arg_matches(&matches)?;
        if let Some(path) = config.config.clone() {
            config.merge_file(&path, &matches)?;
        }
        if config.demo {
            config.backend_url = "http://127.0.0.1:8080".to_owned();
            config.token = "demo-kiosk-1".to_owned();
            config.printer = "virtual:out/tickets".to_owned();
            config.windowed = true;
        }
        Ok(config)
    }

    fn merge_file(&mut self, path: &Path, matches: &ArgMatches) -> anyhow::Result<()> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let table: toml::Table = text
            .parse()
            .with_context(|| format!("parsing {}", path.display()))?;
        let command = Config::command();
        let mut args = vec!["kiosk".to_owned()];
        for (key, value) in &table {
            let id = key.replace('-', "_");
            if !command
                .get_arguments()
                .any(|arg| arg.get_id() == id.as_str())
            {
                anyhow::bail!("unknown setting {key:?} in {}", path.display());
            }
            let explicit = matches.value_source(&id).is_some_and(|source| {
                matches!(source, ValueSource::CommandLine | ValueSource::EnvVariable)
            });
            if explicit {
                continue;
            }
            let flag = format!("--{}", id.replace('_', "-"));
            match value {
                toml::Value::Boolean(true) => args.push(flag),
                toml::Value::Boolean(false) => {}
                toml::Value::String(text) => args.extend([flag, text.clone()]),
                other => args.extend([flag, other.to_string()]),
            }
        }
        // Parse the file's settings alone (so a typo is reported with the key's name),
        // then copy them over the defaults.
        let from_file = Config::try_parse_from(&args)
            .with_context(|| format!("settings in {}", path.display()))?;
        let file_matches = Config::command().try_get_matches_from(&args)?;
        macro_rules! take {
            ($($field:ident),*) => {$(
                if file_matches.value_source(stringify!($field)) == Some(ValueSource::CommandLine) {
                    self.$field = from_file.$field.clone();
                }
            )*};
        }
        take!(
            demo,
            offline_demo,
            backend_url,
            token,
            center_id,
            printer,
            paper_mm,
            scanner,
            language,
            idle_secs,
            done_secs,
            print_failed_secs,
            refresh_secs,
            heartbeat_secs,
            http_timeout_secs,
            dpi,
            width,
            height,
            windowed,
            window_scale
        );
        Ok(())
    }

    /// The language a new citizen starts in.
    pub fn language(&self) -> anyhow::Result<Language> {
        Language::from_code(&self.language)
            .with_context(|| format!("unknown language {:?}: use vi or en", self.language))
    }

    /// The controller's time-outs.
    pub fn timeouts(&self) -> Timeouts {
        Timeouts {
            idle: Duration::from_secs(self.idle_secs.max(5)),
            done: Duration::from_secs(self.done_secs.max(3)),
            print_failed: Duration::from_secs(self.print_failed_secs.max(5)),
            refresh: Duration::from_secs(self.refresh_secs.max(2)),
        }
    }

    /// The smallest touch target, in logical pixels: 15 mm at the configured density.
    pub fn min_target_px(&self) -> f32 {
        min_target_px(self.dpi)
    }
}

/// 15 mm in pixels at `dpi` dots per inch.
pub fn min_target_px(dpi: f32) -> f32 {
    (15.0 / 25.4 * dpi).ceil()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_run_without_any_file() {
        let config = Config::load_from(["kiosk"]).unwrap();
        assert_eq!(config.backend_url, "http://127.0.0.1:8080");
        assert_eq!(config.language().unwrap(), Language::Vietnamese);
        assert_eq!(config.min_target_px(), 57.0);
    }

    #[test]
    fn the_file_fills_defaults_and_flags_win() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.toml");
        std::fs::write(&path, "backend_url = \"http://10.0.0.2:8080\"\nlanguage = \"en\"\nidle_secs = 90\nwindowed = true\n")
            .unwrap();
        let config = Config::load_from([
            "kiosk",
            "--config",
            path.to_str().unwrap(),
            "--idle-secs",
            "45",
        ])
        .unwrap();
        assert_eq!(config.backend_url, "http://10.0.0.2:8080");
        assert_eq!(config.language().unwrap(), Language::English);
        assert_eq!(config.idle_secs, 45);
        assert!(config.windowed);
    }

    #[test]
    fn a_typo_in_the_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.toml");
        std::fs::write(&path, "backend_ulr = \"x\"\n").unwrap();
        assert!(Config::load_from(["kiosk", "--config", path.to_str().unwrap()]).is_err());
    }
}
