//! An in-memory backend and printer. Unit tests drive the controller with them, and
//! `--offline-demo` runs the whole kiosk on them with no server and no printer.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

use wire::{
    CenterKind, CenterRef, CenterSummary, CheckInRequest, DossierLookup, DossierStep, Field,
    IssuePreview, IssueTicketRequest, KioskHeartbeat, KioskInfo, Level, PrinterHealth, Procedure,
    ProcedureList, RemoteTicket, Suggestion, Ticket, TicketIssued, TicketState, WaitEstimate,
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

/// A remote ticket for the fake kiosk's center, taken at phường Hồng Gai: scanning it
/// checks it in.
pub const FAKE_ARRIVING_TICKET_ID: i64 = 9001;
/// A remote ticket for the fake kiosk's center whose check-in window has passed.
pub const FAKE_EXPIRED_TICKET_ID: i64 = 9002;
/// A ticket of phường Hồng Gai, not of the fake kiosk's center.
pub const FAKE_OTHER_CENTER_TICKET_ID: i64 = 9003;
/// The secret of the three tickets above.
pub const FAKE_TICKET_SECRET: &str = "R3M0TE42";
/// The secret of every ticket the fake issues.
const ISSUED_SECRET: &str = "k3x9";

/// The QR payload of a fake ticket (the tracking URL of the demo backend).
pub fn fake_ticket_qr(id: i64, secret: &str) -> String {
    format!("http://127.0.0.1:8080/t/{id}?s={secret}")
}

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
    /// Every ticket issued, as answered.
    pub tickets: Mutex<Vec<TicketIssued>>,
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
        let mut procedures: Vec<Procedure> = table
            .iter()
            .enumerate()
            .map(|(index, (field_index, vi, en))| {
                procedure(index as i64 + 1, &fields[*field_index], vi, en)
            })
            .collect();
        // Registering land changes is filed only at the commune where the land is: the
        // fake's provincial center does not take it and has no other center to offer.
        procedures[7].non_territorial = false;
        for field in &mut fields {
            field.procedure_count =
                procedures.iter().filter(|p| p.field_id == field.id).count() as u32;
        }
        FakeBackend {
            mode: Mutex::new(FakeMode::Normal),
            next_number: AtomicU32::new(1001),
            issued: Mutex::new(Vec::new()),
            heartbeats: Mutex::new(Vec::new()),
            tickets: Mutex::new(Vec::new()),
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

    fn here() -> CenterRef {
        CenterRef {
            id: 1,
            name: "Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh".to_owned(),
            address: "Tầng 1, Trụ sở Liên cơ quan số 3, phường Hồng Hà, Hạ Long".to_owned(),
        }
    }

    fn hong_gai() -> CenterRef {
        let s = Self::suggestion();
        CenterRef {
            id: s.center_id,
            name: s.center_name,
            address: s.address,
        }
    }

    fn not_found() -> ApiError {
        ApiError::Rejected {
            status: 404,
            code: "not_found".to_owned(),
        }
    }

    /// The remote ticket [`FAKE_ARRIVING_TICKET_ID`] after its check-in: Đăng ký khai sinh
    /// at the fake kiosk's center, taken at Hồng Gai.
    fn arrived() -> TicketIssued {
        let field = field(1, "HT", "Hộ tịch", "Civil status", 1);
        TicketIssued {
            ticket: Ticket {
                id: FAKE_ARRIVING_TICKET_ID,
                number: 1004,
                center_id: 1,
                center_name: Self::here().name,
                field_id: field.id,
                field_name_vi: field.name_vi,
                field_name_en: field.name_en,
                procedure_id: 1,
                procedure_name_vi: "Đăng ký khai sinh".to_owned(),
                procedure_name_en: "Birth registration".to_owned(),
                priority: None,
                state: TicketState::Waiting,
                issued_at: "2026-12-04T08:15:00+07:00".to_owned(),
                counter_number: None,
            },
            wait: Self::wait(2, 6),
            secret: FAKE_TICKET_SECRET.to_owned(),
            tracking_url: fake_ticket_qr(FAKE_ARRIVING_TICKET_ID, FAKE_TICKET_SECRET),
            suggestions: Vec::new(),
            remote: Some(RemoteTicket {
                center: Self::here(),
                origin: Self::hong_gai(),
                travel_minutes: 12,
                expected_arrival: "2026-12-04T08:27:00+07:00".to_owned(),
                check_in_deadline: "2026-12-04T08:57:00+07:00".to_owned(),
                checked_in: true,
                checked_in_at: Some("2026-12-04T08:31:00+07:00".to_owned()),
            }),
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
        let eligible_here = procedure.non_territorial || procedure.level == Level::Provincial;
        let busy = procedure.field_id == 3 && eligible_here;
        Ok(IssuePreview {
            procedure,
            eligible_here,
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
        let (center_id, center_name, wait, remote) = match request.for_center_id {
            Some(id) if id != 1 => (
                id,
                Self::suggestion().center_name,
                Self::suggestion().wait,
                Some(RemoteTicket {
                    center: Self::hong_gai(),
                    origin: Self::here(),
                    travel_minutes: Self::suggestion().travel_minutes,
                    expected_arrival: "2026-12-04T08:27:00+07:00".to_owned(),
                    check_in_deadline: "2026-12-04T08:57:00+07:00".to_owned(),
                    checked_in: false,
                    checked_in_at: None,
                }),
            ),
            _ => (1, self.center().name, preview.wait.clone(), None),
        };
        self.issued
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .push(request.clone());
        let issued = TicketIssued {
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
                state: if remote.is_some() {
                    TicketState::Remote
                } else {
                    TicketState::Waiting
                },
                issued_at: "2026-12-04T08:15:00+07:00".to_owned(),
                counter_number: None,
            },
            wait,
            secret: ISSUED_SECRET.to_owned(),
            tracking_url: fake_ticket_qr(i64::from(number), ISSUED_SECRET),
            suggestions: Vec::new(),
            remote,
        };
        self.tickets
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .push(issued.clone());
        Ok(issued)
    }

    fn check_in(&self, request: &CheckInRequest) -> Result<TicketIssued, ApiError> {
        self.check()?;
        if request.secret == FAKE_TICKET_SECRET {
            return match request.ticket_id {
                FAKE_ARRIVING_TICKET_ID => Ok(Self::arrived()),
                FAKE_EXPIRED_TICKET_ID => Err(ApiError::Rejected {
                    status: 409,
                    code: "expired".to_owned(),
                }),
                FAKE_OTHER_CENTER_TICKET_ID => Err(ApiError::WrongCenter(Self::hong_gai())),
                _ => Err(Self::not_found()),
            };
        }
        // A ticket this fake issued: its status here, or the other center it is for.
        let tickets = self
            .tickets
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        let issued = tickets
            .iter()
            .find(|t| t.ticket.id == request.ticket_id && t.secret == request.secret)
            .ok_or_else(Self::not_found)?;
        match &issued.remote {
            Some(remote) => Err(ApiError::WrongCenter(remote.center.clone())),
            None => Ok(issued.clone()),
        }
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
