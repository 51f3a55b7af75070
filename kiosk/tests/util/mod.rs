//! A small driver for headless UI tests: the Slint testing backend runs its event loop on
//! the test's main thread while the test script runs on a second thread and reaches into
//! the window through `invoke_from_event_loop`, so the kiosk's worker thread can post
//! its results the way it does in production.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use i_slint_backend_testing::{AccessibleRole, ElementHandle, ElementQuery};
use kiosk::{AppAdapter, AppWindow, Page, Theme};
use slint::platform::WindowEvent;
use slint::ComponentHandle;

/// Drives a running kiosk window from the script thread.
pub struct Driver {
    window: slint::Weak<AppWindow>,
    taps: AtomicUsize,
}

impl Driver {
    /// Runs `f` with the window on the event loop and returns its result.
    pub fn on_ui<R: Send + 'static>(&self, f: impl FnOnce(&AppWindow) -> R + Send + 'static) -> R {
        let (reply, answer) = mpsc::channel();
        let window = self.window.clone();
        slint::invoke_from_event_loop(move || {
            let window = window.upgrade().expect("the window is alive");
            let _ = reply.send(f(&window));
        })
        .expect("the event loop runs");
        answer
            .recv_timeout(Duration::from_secs(20))
            .expect("the event loop answers")
    }

    /// The page on show.
    pub fn page(&self) -> Page {
        self.on_ui(|window| window.global::<AppAdapter<'_>>().get_page())
    }

    /// Waits until the page is `page`, failing after ten seconds.
    pub fn wait_for_page(&self, page: Page) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let now = self.page();
            if now == page {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "still on {now:?}, waiting for {page:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Whether an element with this accessible label is on the screen.
    pub fn has(&self, label: &str) -> bool {
        let label = label.to_owned();
        self.on_ui(move |window| {
            ElementHandle::find_by_accessible_label(window, &label)
                .next()
                .is_some()
        })
    }

    /// Taps the element with this accessible label (the first, when several have it),
    /// the way a screen reader's default action does, and counts the tap.
    /// The screen is updated from the worker thread, so the label may take a moment to
    /// appear; the tap waits for it for up to five seconds.
    pub fn tap(&self, label: &str) {
        let deadline = Instant::now() + Duration::from_secs(5);
        let found = loop {
            let owned = label.to_owned();
            let found = self.on_ui(move |window| {
                let element = ElementHandle::find_by_accessible_label(window, &owned).next();
                if let Some(element) = &element {
                    element.invoke_accessible_default_action();
                }
                element.is_some()
            });
            if found || Instant::now() >= deadline {
                break found;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        assert!(
            found,
            "nothing labelled {label:?} on page {:?}",
            self.page()
        );
        self.taps.fetch_add(1, Ordering::SeqCst);
    }

    /// Types `text` on the keyboard, the way a keyboard-wedge scanner does ("\n" is Enter).
    pub fn type_text(&self, text: &str) {
        let text = text.to_owned();
        self.on_ui(move |window| {
            for c in text.chars() {
                let key: slint::SharedString = c.to_string().into();
                window
                    .window()
                    .dispatch_event(WindowEvent::KeyPressed { text: key.clone() });
                window
                    .window()
                    .dispatch_event(WindowEvent::KeyReleased { text: key });
            }
        });
    }

    /// Waits up to ten seconds for the element with this label to have this value.
    pub fn wait_for_value(&self, label: &str, value: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let now = self.value_of(label);
            if now.as_deref() == Some(value) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{label:?} is {now:?}, waiting for {value:?} on page {:?}",
                self.page()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Taps counted so far.
    pub fn taps(&self) -> usize {
        self.taps.load(Ordering::SeqCst)
    }

    /// Restarts the tap count.
    pub fn reset_taps(&self) {
        self.taps.store(0, Ordering::SeqCst);
    }

    /// The accessible value of the first element with this label that has one.
    pub fn value_of(&self, label: &str) -> Option<String> {
        let label = label.to_owned();
        self.on_ui(move |window| {
            ElementHandle::find_by_accessible_label(window, &label)
                .find_map(|element| element.accessible_value().filter(|value| !value.is_empty()))
                .map(|value| value.to_string())
        })
    }

    /// Every button on the page must be at least the configured 15 mm in both directions
    /// and carry a label; returns how many buttons were checked.
    pub fn check_touch_targets(&self) -> usize {
        self.on_ui(|window| {
            let min = window.global::<Theme<'_>>().get_min_target();
            let buttons = ElementQuery::from_root(window)
                .match_descendants()
                .match_accessible_role(AccessibleRole::Button)
                .find_all();
            for button in &buttons {
                let label = button.accessible_label().unwrap_or_default();
                assert!(!label.is_empty(), "a button without an accessible label");
                let size = button.size();
                assert!(
                    size.width >= min - 0.5 && size.height >= min - 0.5,
                    "{label:?} is {}x{} px, smaller than {min} px",
                    size.width,
                    size.height
                );
            }
            buttons.len()
        })
    }
}

/// Runs `script` against the window on a second thread while the event loop runs here,
/// then quits the loop and re-raises any failure of the script.
pub fn drive(window: &AppWindow, script: impl FnOnce(&Driver) + Send + 'static) {
    window.show().expect("the window shows");
    let driver = Driver {
        window: window.as_weak(),
        taps: AtomicUsize::new(0),
    };
    let script_thread = std::thread::spawn(move || {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| script(&driver)));
        let _ = slint::invoke_from_event_loop(|| {
            let _ = slint::quit_event_loop();
        });
        outcome
    });
    slint::run_event_loop_until_quit().expect("the event loop runs");
    if let Err(panic) = script_thread.join().expect("the script thread ends") {
        std::panic::resume_unwind(panic);
    }
}
