//! Dossier (hồ sơ) statuses: the national 10-code list and the moves allowed between them,
//! and the dossier code printed on the receipt.

/// The national dossier status codes used when syncing with the National Public Service Portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DossierStatus {
    Registered = 1,
    Received = 2,
    NotAccepted = 3,
    Processing = 4,
    SupplementRequested = 5,
    FeesRequested = 6,
    WithdrawalRequested = 7,
    Stopped = 8,
    Finished = 9,
    Returned = 10,
}

impl DossierStatus {
    pub const ALL: [DossierStatus; 10] = [
        DossierStatus::Registered,
        DossierStatus::Received,
        DossierStatus::NotAccepted,
        DossierStatus::Processing,
        DossierStatus::SupplementRequested,
        DossierStatus::FeesRequested,
        DossierStatus::WithdrawalRequested,
        DossierStatus::Stopped,
        DossierStatus::Finished,
        DossierStatus::Returned,
    ];

    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn from_code(code: u8) -> Option<DossierStatus> {
        DossierStatus::ALL
            .get(usize::from(code).checked_sub(1)?)
            .copied()
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            DossierStatus::Registered => "Mới đăng ký",
            DossierStatus::Received => "Được tiếp nhận",
            DossierStatus::NotAccepted => "Không được tiếp nhận",
            DossierStatus::Processing => "Đang xử lý",
            DossierStatus::SupplementRequested => "Yêu cầu bổ sung giấy tờ",
            DossierStatus::FeesRequested => "Yêu cầu thực hiện nghĩa vụ tài chính",
            DossierStatus::WithdrawalRequested => "Công dân yêu cầu rút hồ sơ",
            DossierStatus::Stopped => "Dừng xử lý",
            DossierStatus::Finished => "Đã xử lý xong",
            DossierStatus::Returned => "Đã trả kết quả",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            DossierStatus::Registered => "Newly registered",
            DossierStatus::Received => "Received",
            DossierStatus::NotAccepted => "Not accepted",
            DossierStatus::Processing => "Being processed",
            DossierStatus::SupplementRequested => "Additional documents requested",
            DossierStatus::FeesRequested => "Fees or taxes to pay",
            DossierStatus::WithdrawalRequested => "Withdrawal requested by the citizen",
            DossierStatus::Stopped => "Processing stopped",
            DossierStatus::Finished => "Finished, result ready for collection",
            DossierStatus::Returned => "Result returned",
        }
    }

    /// No move leaves these statuses.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            DossierStatus::NotAccepted
                | DossierStatus::WithdrawalRequested
                | DossierStatus::Stopped
                | DossierStatus::Returned
        )
    }

    /// While in this status the deadline clock is paused (the citizen is supplementing).
    pub fn pauses_deadline(self) -> bool {
        matches!(self, DossierStatus::SupplementRequested)
    }
}

/// A status change that the workflow does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a dossier cannot go from {} ({}) to {} ({})", .from.code(), .from.name_en(), .to.code(), .to.name_en())]
pub struct IllegalStatusChange {
    pub from: DossierStatus,
    pub to: DossierStatus,
}

/// Checks a status change against the workflow.
pub fn change_status(
    from: DossierStatus,
    to: DossierStatus,
) -> Result<DossierStatus, IllegalStatusChange> {
    use DossierStatus as S;
    let allowed = match from {
        S::Registered => &[S::Received, S::NotAccepted, S::WithdrawalRequested][..],
        S::Received => &[
            S::Processing,
            S::SupplementRequested,
            S::FeesRequested,
            S::WithdrawalRequested,
            S::Stopped,
            S::Finished,
        ][..],
        S::Processing => &[
            S::SupplementRequested,
            S::FeesRequested,
            S::WithdrawalRequested,
            S::Stopped,
            S::Finished,
        ][..],
        S::SupplementRequested => &[S::Processing, S::WithdrawalRequested, S::Stopped][..],
        S::FeesRequested => &[
            S::Processing,
            S::Finished,
            S::WithdrawalRequested,
            S::Stopped,
        ][..],
        S::Finished => &[S::Returned][..],
        S::NotAccepted | S::WithdrawalRequested | S::Stopped | S::Returned => &[][..],
    };
    if allowed.contains(&to) {
        Ok(to)
    } else {
        Err(IllegalStatusChange { from, to })
    }
}

/// The dossier code `{unit code}-{yyMMdd}-{4-digit daily sequence}`, e.g.
/// `HONGGAI-261207-0001`. Codes are predictable by design, which is why a lookup also
/// needs the receipt's secret.
pub fn dossier_code(unit_code: &str, day: chrono::NaiveDate, seq: u32) -> Option<String> {
    (1..=9999)
        .contains(&seq)
        .then(|| format!("{unit_code}-{}-{seq:04}", day.format("%y%m%d")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use DossierStatus as S;

    #[test]
    fn codes_round_trip() {
        for s in S::ALL {
            assert_eq!(S::from_code(s.code()), Some(s));
        }
        assert_eq!(S::from_code(0), None);
        assert_eq!(S::from_code(11), None);
        assert_eq!(S::Processing.code(), 4);
        assert_eq!(S::Returned.name_vi(), "Đã trả kết quả");
    }

    #[test]
    fn workflow_table() {
        let allowed = [
            (S::Registered, S::Received),
            (S::Registered, S::NotAccepted),
            (S::Received, S::Processing),
            (S::Processing, S::SupplementRequested),
            (S::SupplementRequested, S::Processing),
            (S::Processing, S::FeesRequested),
            (S::FeesRequested, S::Finished),
            (S::Processing, S::Finished),
            (S::Finished, S::Returned),
            (S::Processing, S::WithdrawalRequested),
            (S::Processing, S::Stopped),
        ];
        for (from, to) in allowed {
            assert_eq!(change_status(from, to), Ok(to), "{from:?} → {to:?}");
        }
        let refused = [
            (S::Registered, S::Returned),
            (S::Received, S::Returned),
            (S::Returned, S::Processing),
            (S::NotAccepted, S::Received),
            (S::Finished, S::Processing),
            (S::Processing, S::Processing),
            (S::Stopped, S::Processing),
        ];
        for (from, to) in refused {
            assert_eq!(
                change_status(from, to),
                Err(IllegalStatusChange { from, to }),
                "{from:?} → {to:?}"
            );
        }
        for s in S::ALL.into_iter().filter(|s| s.is_final()) {
            assert!(
                S::ALL.iter().all(|&to| change_status(s, to).is_err()),
                "{s:?} is final"
            );
        }
    }

    #[test]
    fn dossier_codes() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        assert_eq!(
            dossier_code("HONGGAI", day, 1).as_deref(),
            Some("HONGGAI-261207-0001")
        );
        assert_eq!(
            dossier_code("QN", day, 9999).as_deref(),
            Some("QN-261207-9999")
        );
        assert_eq!(dossier_code("QN", day, 0), None);
        assert_eq!(dossier_code("QN", day, 10000), None);
    }
}
