//! Real-time printer status (`DLE EOT n`), decoded without I/O.

/// The real-time status requests the printer actor sends: printer status, offline cause,
/// error status and paper roll sensor (`DLE EOT 1`, `2`, `3`, `4`).
pub const STATUS_QUERY: [u8; 12] = [0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4];

/// What the printer said about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusReport {
    /// Whether the printer is online (ready to print).
    pub online: bool,
    /// Whether the cover is open.
    pub cover_open: bool,
    /// Whether the paper has run out.
    pub paper_end: bool,
    /// Whether the roll is nearly out; printing still works.
    pub paper_near_end: bool,
    /// Whether the printer reports an error (auto-cutter jam, overheating, or an
    /// unrecoverable fault); it is offline until the error is cleared.
    pub error: bool,
}

/// The printer's state as far as the host can tell.
///
/// Architecture Invariant: there is no default "ok". A printer that did not answer, or
/// answered with bytes that are not status replies, is [`PrinterStatus::Unknown`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterStatus {
    /// The printer answered the status requests.
    Reported(StatusReport),
    /// No valid answer; `reason` says why (time-out, cannot open, write-only transport).
    Unknown {
        /// Why the status is not known, for logs and the manager's health view.
        reason: String,
    },
}

impl PrinterStatus {
    /// Whether the printer said it is online with paper and the cover closed.
    pub fn is_ready(&self) -> bool {
        matches!(self, PrinterStatus::Reported(r) if r.online && !r.paper_end && !r.cover_open)
    }
}

/// Whether `byte` has the fixed bits of a `DLE EOT` reply (bit 1 and bit 4 set, bit 0 and
/// bit 7 clear); anything else is not a status byte.
pub fn is_status_byte(byte: u8) -> bool {
    byte & 0x93 == 0x12
}

/// Decodes the replies to [`STATUS_QUERY`]: the bytes for `DLE EOT 1`, `2`, `3` and `4`.
/// Returns `None` when a byte is not a status reply.
pub fn decode(printer: u8, offline_cause: u8, error: u8, paper: u8) -> Option<StatusReport> {
    if ![printer, offline_cause, error, paper]
        .into_iter()
        .all(is_status_byte)
    {
        return None;
    }
    Some(StatusReport {
        online: printer & 0x08 == 0,
        cover_open: offline_cause & 0x04 != 0,
        paper_end: offline_cause & 0x20 != 0 || paper & 0x60 != 0,
        paper_near_end: paper & 0x0c != 0,
        // Bit 3: auto-cutter error; bit 5: unrecoverable error; bit 6: auto-recoverable
        // error (for example the head overheated). Bit 6 of `DLE EOT 2` is "an error occurred".
        error: error & 0x68 != 0 || offline_cause & 0x40 != 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interpreter::{status_reply, Faults};

    fn check(faults: Faults, expect: StatusReport) {
        let reply = |n| status_reply(n, &faults).unwrap();
        assert_eq!(
            decode(reply(1), reply(2), reply(3), reply(4)),
            Some(expect),
            "{faults:?}"
        );
    }

    #[test]
    fn interpreter_replies_decode_back() {
        let ok = StatusReport {
            online: true,
            cover_open: false,
            paper_end: false,
            paper_near_end: false,
            error: false,
        };
        check(Faults::default(), ok);
        check(
            Faults {
                paper_out: true,
                ..Faults::default()
            },
            StatusReport {
                online: false,
                paper_end: true,
                ..ok
            },
        );
        check(
            Faults {
                cover_open: true,
                ..Faults::default()
            },
            StatusReport {
                online: false,
                cover_open: true,
                ..ok
            },
        );
        check(
            Faults {
                paper_near_end: true,
                ..Faults::default()
            },
            StatusReport {
                paper_near_end: true,
                ..ok
            },
        );
    }

    #[test]
    fn garbage_is_not_a_status() {
        assert_eq!(decode(0x00, 0x12, 0x12, 0x12), None);
        assert_eq!(decode(0x12, 0xff, 0x12, 0x12), None);
        assert!(decode(0x1a, 0x52, 0x1a, 0x12).unwrap().error);
        assert!(!PrinterStatus::Unknown {
            reason: "time-out".into()
        }
        .is_ready());
    }
}
