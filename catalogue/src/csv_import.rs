//! CSV import and export of the procedure catalogue. The format is described
//! in `catalogue/CSV.md`.
//!
//! Import is all-or-nothing: any error means no procedures, and every error
//! found is reported with its 1-based line (the header is line 1) and column.

use std::collections::HashMap;
use std::fmt;
use std::io::{Read, Write};

use crate::fold::fold;
use crate::{FieldSeed, Level, ProcedureSeed};

/// Required columns, in the order [`write_procedures`] writes them.
pub const COLUMNS: [&str; 11] = [
    "code",
    "name_vi",
    "name_en",
    "field_code",
    "level",
    "agency",
    "non_territorial",
    "processing_time",
    "processing_unit",
    "has_fees",
    "online_level",
];

/// Optional columns: `generated` (boolean, default `false`), written by
/// [`write_procedures`] so that an export reads back identically.
pub const OPTIONAL_COLUMNS: [&str; 1] = ["generated"];

/// Column name used in errors that concern a whole record (wrong column count).
pub const RECORD_COLUMN: &str = "(record)";
/// Column name used in errors that concern the input as a whole (read failure).
pub const INPUT_COLUMN: &str = "(input)";

/// Highest accepted online service level.
pub const MAX_ONLINE_LEVEL: u8 = 4;
/// Longest accepted procedure code, in characters.
pub const MAX_CODE_LEN: usize = 64;

/// One problem found in an imported CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// 1-based line as in a text editor; the header is line 1. For a quoted
    /// value spanning several lines, the line where its record starts.
    /// `0` only for an I/O error reading the input.
    pub line: u64,
    /// Header name of the column, or [`RECORD_COLUMN`] / [`INPUT_COLUMN`].
    pub column: String,
    /// Human-readable description.
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ImportError {}

/// All problems found in an imported CSV, in input order (never empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportErrors(pub Vec<ImportError>);

impl ImportErrors {
    /// The individual errors.
    pub fn errors(&self) -> &[ImportError] {
        &self.0
    }

    /// Number of errors.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no errors (never the case for a returned `Err`).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Iterate over the errors.
    pub fn iter(&self) -> std::slice::Iter<'_, ImportError> {
        self.0.iter()
    }
}

impl fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(
            f,
            "{n} error{} in procedure CSV:",
            if n == 1 { "" } else { "s" }
        )?;
        for e in &self.0 {
            write!(f, "\n  {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportErrors {}

impl<'a> IntoIterator for &'a ImportErrors {
    type Item = &'a ImportError;
    type IntoIter = std::slice::Iter<'a, ImportError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

struct Errs(Vec<ImportError>);

impl Errs {
    fn push(&mut self, line: u64, column: &str, message: impl Into<String>) {
        self.0.push(ImportError {
            line,
            column: column.to_string(),
            message: message.into(),
        });
    }
}

/// Parse a procedure CSV (UTF-8, optional BOM, header row required).
///
/// `known_fields` are the fields a `field_code` may refer to. All-or-nothing:
/// on any error, every error found is returned and no procedure.
pub fn parse_procedures<R: Read>(
    mut r: R,
    known_fields: &[FieldSeed],
) -> Result<Vec<ProcedureSeed>, ImportErrors> {
    let mut errs = Errs(Vec::new());
    let mut bytes = Vec::new();
    if let Err(e) = r.read_to_end(&mut bytes) {
        errs.push(0, INPUT_COLUMN, format!("cannot read input: {e}"));
        return Err(ImportErrors(errs.0));
    }
    let data = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);

    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(data);
    let mut records = reader.byte_records();
    let mut lines = LineCounter::new(data);

    // Header.
    let header = match records.next() {
        None => {
            errs.push(1, RECORD_COLUMN, "empty input: a header row is required");
            return Err(ImportErrors(errs.0));
        }
        Some(Err(e)) => {
            errs.push(
                csv_line(&e).unwrap_or(1),
                RECORD_COLUMN,
                format!("malformed CSV: {e}"),
            );
            return Err(ImportErrors(errs.0));
        }
        Some(Ok(h)) => h,
    };
    let header_line = header.position().map_or(1, |p| lines.line_at(p.byte()));
    let mut index: HashMap<&'static str, usize> = HashMap::new();
    for (i, raw) in header.iter().enumerate() {
        let Ok(name) = std::str::from_utf8(raw) else {
            errs.push(
                header_line,
                &format!("#{}", i + 1),
                "header is not valid UTF-8",
            );
            continue;
        };
        let name = name.trim();
        let key = fold(name);
        match COLUMNS
            .iter()
            .chain(OPTIONAL_COLUMNS.iter())
            .find(|c| fold(c) == key)
        {
            Some(&col) => {
                if index.insert(col, i).is_some() {
                    errs.push(header_line, col, "duplicate column in header");
                }
            }
            None => {
                let shown = if name.is_empty() {
                    format!("#{}", i + 1)
                } else {
                    name.to_string()
                };
                errs.push(header_line, &shown, format!("unknown column {name:?}"));
            }
        }
    }
    if index.is_empty() {
        // Not a single known column: most likely the header row is missing.
        errs.0.clear();
        errs.push(
            header_line,
            RECORD_COLUMN,
            format!(
                "no header row: the first row must name the columns {}",
                COLUMNS.join(",")
            ),
        );
        return Err(ImportErrors(errs.0));
    }
    for col in COLUMNS {
        if !index.contains_key(col) {
            errs.push(header_line, col, "missing required column in header");
        }
    }
    if !errs.0.is_empty() {
        return Err(ImportErrors(errs.0));
    }
    let width = header.len();

    let known: Vec<&str> = known_fields.iter().map(|f| f.code.as_str()).collect();
    let mut first_seen: HashMap<String, u64> = HashMap::new();
    let mut out = Vec::new();

    for rec in records {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                // csv-core is lenient; this is practically unreachable, but
                // never panic and never continue past an unreadable point.
                errs.push(
                    csv_line(&e).unwrap_or(0),
                    RECORD_COLUMN,
                    format!("malformed CSV: {e}"),
                );
                break;
            }
        };
        let line = rec.position().map_or(0, |p| lines.line_at(p.byte()));
        // Rows with nothing but blanks (e.g. ",,,,,,,,,," left by spreadsheets)
        // carry no data: skip them like empty lines.
        if rec
            .iter()
            .all(|v| v.iter().all(|b| b.is_ascii_whitespace()))
        {
            continue;
        }
        if rec.len() != width {
            errs.push(
                line,
                RECORD_COLUMN,
                format!(
                    "expected {width} columns as in the header, found {}",
                    rec.len()
                ),
            );
            continue;
        }
        let before = errs.0.len();
        let get = |errs: &mut Errs, col: &'static str| -> Option<String> {
            let i = *index.get(col)?;
            match std::str::from_utf8(&rec[i]) {
                Ok(s) => Some(s.trim().to_string()),
                Err(_) => {
                    errs.push(line, col, "value is not valid UTF-8");
                    None
                }
            }
        };

        let code = get(&mut errs, "code").and_then(|v| check_code(&mut errs, line, v));
        let name_vi =
            get(&mut errs, "name_vi").and_then(|v| text(&mut errs, line, "name_vi", v, true));
        let name_en =
            get(&mut errs, "name_en").and_then(|v| text(&mut errs, line, "name_en", v, false));
        let field_code = get(&mut errs, "field_code").and_then(|v| {
            if v.is_empty() {
                errs.push(line, "field_code", "field code is empty");
                None
            } else if !known.contains(&v.as_str()) {
                errs.push(line, "field_code", format!("unknown field code {v:?}"));
                None
            } else {
                Some(v)
            }
        });
        let level = get(&mut errs, "level").and_then(|v| match v.parse::<Level>() {
            Ok(l) => Some(l),
            Err(_) => {
                errs.push(
                    line,
                    "level",
                    format!("invalid level {v:?}, expected provincial, commune, tỉnh or xã"),
                );
                None
            }
        });
        let agency =
            get(&mut errs, "agency").and_then(|v| text(&mut errs, line, "agency", v, true));
        let non_territorial = get(&mut errs, "non_territorial")
            .and_then(|v| boolean(&mut errs, line, "non_territorial", &v));
        let processing_time =
            get(&mut errs, "processing_time").and_then(|v| number(&mut errs, line, &v));
        let processing_unit = get(&mut errs, "processing_unit").and_then(|v| match v.parse() {
            Ok(u) => Some(u),
            Err(_) => {
                errs.push(
                    line,
                    "processing_unit",
                    format!("invalid processing unit {v:?}, expected hours, days, working_days or months"),
                );
                None
            }
        });
        let has_fees =
            get(&mut errs, "has_fees").and_then(|v| boolean(&mut errs, line, "has_fees", &v));
        let online_level = get(&mut errs, "online_level").and_then(|v| match v.parse::<u8>() {
            Ok(n) if n <= MAX_ONLINE_LEVEL => Some(n),
            _ => {
                errs.push(
                    line,
                    "online_level",
                    format!("invalid online level {v:?}, expected a whole number from 0 to {MAX_ONLINE_LEVEL}"),
                );
                None
            }
        });
        let generated = if index.contains_key("generated") {
            get(&mut errs, "generated").and_then(|v| {
                if v.is_empty() {
                    Some(false)
                } else {
                    boolean(&mut errs, line, "generated", &v)
                }
            })
        } else {
            Some(false)
        };

        if let Some(code) = &code {
            if let Some(first) = first_seen.get(code) {
                errs.push(
                    line,
                    "code",
                    format!("duplicate code {code:?} (first on line {first})"),
                );
            } else {
                first_seen.insert(code.clone(), line);
            }
        }

        if errs.0.len() != before {
            continue;
        }
        if let (
            Some(code),
            Some(name_vi),
            Some(name_en),
            Some(field_code),
            Some(level),
            Some(agency),
            Some(non_territorial),
            Some(processing_time),
            Some(processing_unit),
            Some(has_fees),
            Some(online_level),
            Some(generated),
        ) = (
            code,
            name_vi,
            name_en,
            field_code,
            level,
            agency,
            non_territorial,
            processing_time,
            processing_unit,
            has_fees,
            online_level,
            generated,
        ) {
            out.push(ProcedureSeed {
                code,
                name_vi,
                name_en,
                field_code,
                level,
                agency,
                non_territorial,
                processing_time,
                processing_unit,
                has_fees,
                online_level,
                generated,
            });
        }
    }

    if errs.0.is_empty() {
        Ok(out)
    } else {
        Err(ImportErrors(errs.0))
    }
}

fn csv_line(e: &csv::Error) -> Option<u64> {
    e.position().map(|p| p.line())
}

/// Maps byte offsets of record starts (non-decreasing) to 1-based editor lines.
///
/// The csv crate's own line counter does not count skipped blank lines, so
/// count line terminators (`\n`, `\r\n` or a lone `\r`) ourselves, after
/// skipping the blank lines the reader skipped. Incremental: linear overall.
struct LineCounter<'a> {
    data: &'a [u8],
    pos: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(data: &'a [u8]) -> Self {
        LineCounter {
            data,
            pos: 0,
            line: 1,
        }
    }

    fn line_at(&mut self, offset: u64) -> u64 {
        let data = self.data;
        let mut start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(data.len());
        while start < data.len() && (data[start] == b'\n' || data[start] == b'\r') {
            start += 1;
        }
        if start < self.pos {
            // Not expected (offsets only grow); recount from the beginning.
            self.pos = 0;
            self.line = 1;
        }
        for i in self.pos..start {
            let b = data[i];
            if b == b'\n' || (b == b'\r' && data.get(i + 1) != Some(&b'\n')) {
                self.line += 1;
            }
        }
        self.pos = start;
        self.line
    }
}

fn check_code(errs: &mut Errs, line: u64, v: String) -> Option<String> {
    if v.is_empty() {
        errs.push(line, "code", "code is empty");
        None
    } else if v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        errs.push(
            line,
            "code",
            format!("code {v:?} contains whitespace or control characters"),
        );
        None
    } else if v.chars().count() > MAX_CODE_LEN {
        errs.push(
            line,
            "code",
            format!("code is longer than {MAX_CODE_LEN} characters"),
        );
        None
    } else {
        Some(v)
    }
}

fn text(errs: &mut Errs, line: u64, col: &str, v: String, required: bool) -> Option<String> {
    if required && v.is_empty() {
        errs.push(line, col, format!("{col} is empty"));
        None
    } else if v.chars().any(char::is_control) {
        errs.push(line, col, "contains a line break or control character");
        None
    } else {
        Some(v)
    }
}

fn boolean(errs: &mut Errs, line: u64, col: &str, v: &str) -> Option<bool> {
    match fold(v).as_str() {
        "true" | "1" | "co" | "yes" => Some(true),
        "false" | "0" | "khong" | "no" => Some(false),
        _ => {
            errs.push(
                line,
                col,
                format!("invalid boolean {v:?}, expected true/false, 1/0 or có/không"),
            );
            None
        }
    }
}

fn number(errs: &mut Errs, line: u64, v: &str) -> Option<f64> {
    // Accept a decimal comma ("0,5") as written in Vietnamese spreadsheets.
    let normalized = if v.contains(',') && !v.contains('.') {
        v.replace(',', ".")
    } else {
        v.to_string()
    };
    let ok = !normalized.is_empty()
        && normalized.chars().all(|c| {
            c.is_ascii_digit() || c == '.' || c == '+' || c == 'e' || c == 'E' || c == '-'
        });
    match normalized.parse::<f64>() {
        Ok(n) if ok && n.is_finite() && n >= 0.0 => Some(n),
        _ => {
            errs.push(
                line,
                "processing_time",
                format!("invalid processing time {v:?}, expected a non-negative number"),
            );
            None
        }
    }
}

/// Write procedures in the format [`parse_procedures`] reads: a header row
/// with [`COLUMNS`] then `generated`, one record per procedure.
pub fn write_procedures<W: Write>(w: W, procs: &[ProcedureSeed]) -> std::io::Result<()> {
    let mut wr = csv::Writer::from_writer(w);
    let mut header: Vec<&str> = COLUMNS.to_vec();
    header.extend(OPTIONAL_COLUMNS);
    wr.write_record(&header)?;
    for p in procs {
        let time = p.processing_time.to_string();
        let online = p.online_level.to_string();
        wr.write_record([
            p.code.as_str(),
            p.name_vi.as_str(),
            p.name_en.as_str(),
            p.field_code.as_str(),
            p.level.as_str(),
            p.agency.as_str(),
            bool_str(p.non_territorial),
            time.as_str(),
            p.processing_unit.as_str(),
            bool_str(p.has_fees),
            online.as_str(),
            bool_str(p.generated),
        ])?;
    }
    wr.flush()
}

fn bool_str(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}
