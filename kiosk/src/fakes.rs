//! An in-memory backend and printer. Unit tests drive the controller with them, and
//! `--offline-demo` runs the whole kiosk on them with no server and no printer.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

use wire::{
    CenterKind, CenterSummary, DossierLookup, DossierStep, Field, IssuePreview, IssueTicketRequest,
    KioskHeartbeat, KioskInfo, Level, PrinterHealth, Procedure, ProcedureList, Suggestion, Ticket,
    TicketIssued, TicketState, WaitEstimate,
};

use crate::ports::{
    ApiError, BackendApi, PrintFailure, PrintedTicket, ProcedureQuery, TicketPrinter,
};
use crate::text::fold;

/// How the fake backend behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FakeMode {
    /// Answers everything.
    #[default]
    Normal,
    /// The center is closed: `open_now` is false and issuing answers 409.
    Closed,
    /// Every call fails as if the server were down.
    Unreachable,
}

/// The dossier the fake backend knows, and its receipt's secret.
pub const FAKE_DOSSIER_CODE: &str = "H22.39-261204-0001";
/// The secret of [`FAKE_DOSSIER_CODE`].
pub const FAKE_DOSSIER_SECRET: &str = "R8K2M4QX";
/// A secret the fake answers with 429 (too many lookups), whatever the code.
pub const FAKE_RATE_LIMITED_SECRET: &str = "LIMITED1";

fn step(at: &str, status: u8, status_vi: &str, status_en: &str) -> DossierStep {
    DossierStep {
        at: at.to_owned(),
        status,
        status_vi: status_vi.to_owned(),
        status_en: status_en.to_owned(),
    }
}

/// The fake backend's one dossier: received, then being processed.
pub fn fake_dossier() -> DossierLookup {
    DossierLookup {
        code: FAKE_DOSSIER_CODE.to_owned(),
        procedure_name_vi: "Cấp giấy phép xây dựng nhà ở riêng lẻ".to_owned(),
        procedure_name_en: "Construction permit for a detached house".to_owned(),
        applicant_masked: "Nguyễn V** A*".to_owned(),
        status: 3,
        status_vi: "Đang xử lý".to_owned(),
        status_en: "Being processed".to_owned(),
        received_at: "2026-12-04T08:15:00+07:00".to_owned(),
        appointment_at: "2026-12-18T16:30:00+07:00".to_owned(),
        timeliness: "within_deadline".to_owned(),
        return_center_name: "Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh".to_owned(),
        return_center_address: "Tầng 1, Trụ sở Liên cơ quan số 3, phường Hồng Hà, Hạ Long"
            .to_owned(),
        history: vec![
            step("2026-12-04T08:15:00+07:00", 2, "Được tiếp nhận", "Received"),
            step(
                "2026-12-04T10:40:00+07:00",
                3,
                "Đang xử lý",
                "Being processed",
            ),
        ],
    }
}

/// An in-memory backend with a few real fields and procedures of the province.
pub struct FakeBackend {
    /// How it behaves; tests change it between steps.
    pub mode: Mutex<FakeMode>,
    /// The next ticket number.
    next_number: AtomicU32,
    /// Every ticket request received.
    pub issued: Mutex<Vec<IssueTicketRequest>>,
    /// Every heartbeat received.
    pub heartbeats: Mutex<Vec<KioskHeartbeat>>,
    fields: Vec<Field>,
    procedures: Vec<Procedure>,
}

fn field(id: i64, code: &str, name_vi: &str, name_en: &str, series: u8) -> Field {
    Field {
        id,
        code: code.to_owned(),
        name_vi: name_vi.to_owned(),
        name_en: name_en.to_owned(),
        series,
        procedure_count: 0,
    }
}

fn procedure(id: i64, field: &Field, name_vi: &str, name_en: &str) -> Procedure {
    Procedure {
        id,
        code: format!("1.{id:06}"),
        name_vi: name_vi.to_owned(),
        name_en: name_en.to_owned(),
        field_id: field.id,
        field_code: field.code.clone(),
        level: Level::Commune,
        non_territorial: true,
        processing_time: 3.0,
        processing_unit: "working_days".to_owned(),
        has_fees: false,
        generated: false,
    }
}

impl Default for FakeBackend {
    fn default() -> Self {
        let mut fields = vec![
            field(1, "HT", "Hộ tịch", "Civil status", 1),
            field(2, "CT", "Chứng thực", "Certification", 2),
            field(3, "DD", "Đất đai", "Land", 3),
            field(4, "DKKD", "Đăng ký kinh doanh", "Business registration", 4),
            field(5, "XD", "Xây dựng", "Construction", 5),
            field(
                6,
                "LDTBXH",
                "Lao động - Thương binh và Xã hội",
                "Labour, Invalids and Social Affairs",
                6,
            ),
        ];
        let table: [(usize, &str, &str); 12] = [
            (0, "Đăng ký khai sinh", "Birth registration"),
            (0, "Đăng ký kết hôn", "Marriage registration"),
            (0, "Đăng ký khai tử", "Death registration"),
            (
                0,
                "Cấp bản sao trích lục hộ tịch",
                "Copy of a civil status extract",
            ),
            (
                1,
                "Chứng thực bản sao từ bản chính",
                "Certified copy from the original",
            ),
            (1, "Chứng thực chữ ký", "Signature certification"),
            (
                2,
                "Cấp giấy chứng nhận quyền sử dụng đất lần đầu",
                "First land use right certificate",
            ),
            (
                2,
                "Đăng ký biến động đất đai",
                "Registration of land changes",
            ),
            (
                3,
                "Đăng ký thành lập hộ kinh doanh",
                "Registration of a household business",
            ),
            (
                4,
                "Cấp giấy phép xây dựng nhà ở riêng lẻ",
                "Building permit for a detached house",
            ),
            (
                5,
                "Giải quyết trợ cấp xã hội hằng tháng",
                "Monthly social allowance",
            ),
            (
                5,
                "Xác nhận người có công với cách mạng",
                "Certification of meritorious service",
            ),
        ];
        let procedures: Vec<Procedure> = table
            .iter()
            .enumerate()
            .map(|(index, (field_index, vi, en))| {
                procedure(index as i64 + 1, &fields[*field_index], vi, en)
            })
            .collect();
        for field in &mut fields {
            field.procedure_count =
                procedures.iter().filter(|p| p.field_id == field.id).count() as u32;
        }
        FakeBackend {
            mode: Mutex::new(FakeMode::Normal),
            next_number: AtomicU32::new(1001),
            issued: Mutex::new(Vec::new()),
            heartbeats: Mutex::new(Vec::new()),
            fields,
            procedures,
        }
    }
}

impl FakeBackend {
    fn mode(&self) -> FakeMode {
        *self
            .mode
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    fn check(&self) -> Result<(), ApiError> {
        match self.mode() {
            FakeMode::Unreachable => Err(ApiError::Unreachable("connection refused".to_owned())),
            _ => Ok(()),
        }
    }

    fn center(&self) -> CenterSummary {
        CenterSummary {
            id: 1,
            code: "QN".to_owned(),
            name: "Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh".to_owned(),
            kind: CenterKind::Provincial,
            address: "Tầng 1, Trụ sở Liên cơ quan số 3, phường Hồng Hà, Hạ Long".to_owned(),
            latitude: 20.95,
            longitude: 107.08,
            opening_hours: "T2–T6 07:30–11:30, 13:30–17:00".to_owned(),
            open_now: self.mode() != FakeMode::Closed,
            waiting: 12,
            counters_open: 4,
            served_today: 87,
            longest_wait_min: Some(18),
        }
    }

    fn wait(people_ahead: u32, minutes: u32) -> WaitEstimate {
        WaitEstimate {
            people_ahead,
            minutes: Some(minutes),
            low_minutes: Some(minutes / 2),
            high_minutes: Some(minutes * 3 / 2),
            counters_open: 2,
        }
    }

    fn suggestion() -> Suggestion {
        Suggestion {
            center_id: 7,
            center_name: "Trung tâm Phục vụ hành chính công phường Hồng Gai".to_owned(),
            address: "Số 1 đường Bến Đoan, phường Hồng Gai".to_owned(),
            travel_minutes: 12,
            wait: Self::wait(1, 5),
            saving_minutes: 28,
        }
    }
}

impl BackendApi for FakeBackend {
    fn lookup_dossier(&self, code: &str, secret: &str) -> Result<DossierLookup, ApiError> {
        self.check()?;
        if secret == FAKE_RATE_LIMITED_SECRET {
            return Err(ApiError::Rejected {
                status: 429,
                code: "too_many_requests".to_owned(),
            });
        }
        if code == FAKE_DOSSIER_CODE && secret == FAKE_DOSSIER_SECRET {
            return Ok(fake_dossier());
        }
        Err(ApiError::Rejected {
            status: 404,
            code: "not_found".to_owned(),
        })
    }

    fn kiosk_info(&self) -> Result<KioskInfo, ApiError> {
        self.check()?;
        Ok(KioskInfo {
            kiosk_id: 1,
            kiosk_name: "Kiosk 1".to_owned(),
            center: self.center(),
        })
    }

    fn fields(&self) -> Result<Vec<Field>, ApiError> {
        self.check()?;
        Ok(self.fields.clone())
    }

    fn procedures(&self, query: &ProcedureQuery) -> Result<ProcedureList, ApiError> {
        self.check()?;
        let needle = query.text.as_deref().map(fold).unwrap_or_default();
        let items: Vec<Procedure> = self
            .procedures
            .iter()
            .filter(|p| query.field_id.is_none_or(|id| p.field_id == id))
            .filter(|p| {
                needle.is_empty()
                    || fold(&p.name_vi).contains(&needle)
                    || fold(&p.name_en).contains(&needle)
            })
            .cloned()
            .collect();
        let total = items.len() as u32;
        Ok(ProcedureList {
            total,
            items: items.into_iter().take(query.limit as usize).collect(),
        })
    }

    fn preview(&self, procedure_id: i64) -> Result<IssuePreview, ApiError> {
        self.check()?;
        let procedure = self
            .procedures
            .iter()
            .find(|p| p.id == procedure_id)
            .cloned()
            .ok_or(ApiError::Rejected {
                status: 404,
                code: "not_found".to_owned(),
            })?;
        // Land procedures are busy here, so the fake offers a faster center for them.
        let busy = procedure.field_id == 3;
        Ok(IssuePreview {
            procedure,
            eligible_here: true,
            wait: if busy {
                Self::wait(14, 45)
            } else {
                Self::wait(3, 9)
            },
            suggestions: if busy {
                vec![Self::suggestion()]
            } else {
                Vec::new()
            },
        })
    }

    fn issue_ticket(&self, request: &IssueTicketRequest) -> Result<TicketIssued, ApiError> {
        self.check()?;
        if self.mode() == FakeMode::Closed {
            return Err(ApiError::CenterClosed);
        }
        let preview = self.preview(request.procedure_id)?;
        let field = self
            .fields
            .iter()
            .find(|f| f.id == preview.procedure.field_id)
            .cloned()
            .unwrap_or_else(|| self.fields[0].clone());
        let number = self.next_number.fetch_add(1, Ordering::SeqCst);
        let (center_id, center_name, wait) = match request.for_center_id {
            Some(id) if id != 1 => (id, Self::suggestion().center_name, Self::suggestion().wait),
            _ => (1, self.center().name, preview.wait.clone()),
        };
        self.issued
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .push(request.clone());
        Ok(TicketIssued {
            ticket: Ticket {
                id: i64::from(number),
                number,
                center_id,
                center_name,
                field_id: field.id,
                field_name_vi: field.name_vi,
                field_name_en: field.name_en,
                procedure_id: preview.procedure.id,
                procedure_name_vi: preview.procedure.name_vi,
                procedure_name_en: preview.procedure.name_en,
                priority: request.priority,
                state: TicketState::Waiting,
                issued_at: "2026-12-04T08:15:00+07:00".to_owned(),
                counter_number: None,
            },
            wait,
            secret: "k3x9".to_owned(),
            tracking_url: format!("http://127.0.0.1:8080/t/{number}?s=k3x9"),
            suggestions: Vec::new(),
            remote: None,
        })
    }

    fn heartbeat(&self, heartbeat: &KioskHeartbeat) -> Result<(), ApiError> {
        self.check()?;
        self.heartbeats
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .push(heartbeat.clone());
        Ok(())
    }
}

/// A printer that keeps what it printed and fails on demand.
#[derive(Default)]
pub struct FakePrinter {
    /// When set, every print fails with this health.
    pub failure: Mutex<Option<PrinterHealth>>,
    /// Every ticket printed.
    pub printed: Mutex<Vec<PrintedTicket>>,
}

impl TicketPrinter for FakePrinter {
    fn print(&self, ticket: &PrintedTicket) -> Result<(), PrintFailure> {
        if let Some(health) = *self
            .failure
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
        {
            return Err(PrintFailure {
                health,
                detail: format!("{health:?}"),
            });
        }
        self.printed
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .push(ticket.clone());
        Ok(())
    }

    fn health(&self) -> PrinterHealth {
        self.failure
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .unwrap_or(PrinterHealth::Ok)
    }
}
