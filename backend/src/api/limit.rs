//! A fixed-window rate limiter per client key (used for public lookups and sign-in).

use std::collections::HashMap;
use std::sync::Mutex;

pub struct RateLimiter {
    max_per_window: u32,
    window_ms: i64,
    /// key → (window start, requests in window). Pruned when it grows large.
    windows: Mutex<HashMap<String, (i64, u32)>>,
}

impl RateLimiter {
    pub fn new(max_per_window: u32, window_ms: i64) -> Self {
        RateLimiter {
            max_per_window,
            window_ms,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request; false when the client is over its limit for this window.
    pub fn allow(&self, key: &str, now_ms: i64) -> bool {
        let mut windows = self.windows.lock().expect("rate limiter lock");
        if windows.len() > 100_000 {
            let window_ms = self.window_ms;
            windows.retain(|_, (start, _)| now_ms - *start < window_ms);
        }
        let entry = windows.entry(key.to_string()).or_insert((now_ms, 0));
        if now_ms - entry.0 >= self.window_ms {
            *entry = (now_ms, 0);
        }
        entry.1 += 1;
        entry.1 <= self.max_per_window
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_limits_and_resets() {
        let limiter = RateLimiter::new(3, 1000);
        assert!(limiter.allow("a", 0));
        assert!(limiter.allow("a", 10));
        assert!(limiter.allow("a", 20));
        assert!(!limiter.allow("a", 30));
        assert!(limiter.allow("b", 30), "other clients are not affected");
        assert!(limiter.allow("a", 1000), "a new window starts");
    }
}
