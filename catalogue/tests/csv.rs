use catalogue::csv_import::{parse_procedures, write_procedures, ImportError, COLUMNS};
use catalogue::{demo_province, FieldSeed, Level, ProcessingUnit};
use proptest::prelude::*;

const HEADER: &str = "code,name_vi,name_en,field_code,level,agency,non_territorial,processing_time,processing_unit,has_fees,online_level";
const GOOD: &str = "1.001193,Đăng ký khai sinh,Birth registration,HT,commune,UBND cấp xã,true,1,working_days,false,4";

fn fields() -> Vec<FieldSeed> {
    demo_province().fields
}

fn errors(input: &str) -> Vec<(u64, String)> {
    match parse_procedures(input.as_bytes(), &fields()) {
        Ok(p) => panic!(
            "expected errors, parsed {} procedures from {input:?}",
            p.len()
        ),
        Err(e) => e.iter().map(|e| (e.line, e.column.clone())).collect(),
    }
}

#[test]
fn roundtrip_demo() {
    let p = demo_province();
    let mut buf = Vec::new();
    write_procedures(&mut buf, &p.procedures).unwrap();
    let back = parse_procedures(buf.as_slice(), &p.fields).unwrap();
    assert_eq!(back, p.procedures);
}

#[test]
fn written_header_is_documented_order() {
    let mut buf = Vec::new();
    write_procedures(&mut buf, &[]).unwrap();
    let s = String::from_utf8(buf).unwrap();
    assert_eq!(s.trim_end(), format!("{},generated", COLUMNS.join(",")));
    assert!(s.starts_with(HEADER));
}

#[test]
fn example_csv_parses() {
    let procs = parse_procedures(&include_bytes!("../example.csv")[..], &fields()).unwrap();
    assert!(procs.len() >= 5);
    assert!(procs.iter().all(|p| !p.generated));
    let ks = procs.iter().find(|p| p.code == "1.001193").unwrap();
    assert_eq!(ks.level, Level::Commune);
    assert!(ks.non_territorial);
}

#[test]
fn parses_good_row_and_variants() {
    let input = format!(
        "\u{feff}{HEADER}\r\n{GOOD}\r\n\
         X.1,\"Chứng thực chữ ký, văn bản\",,CT,Xã,UBND cấp xã,có,\"0,5\",ngày làm việc,Không,0\n\
         X.2,Cấp phiếu lý lịch tư pháp,Judicial record,TP,tỉnh,Sở Tư pháp,1,10,days,1,3\n\
         X.3,Tên,Name,TP,Provincial,Sở Tư pháp,FALSE,2.5,months,0,2\n"
    );
    let procs = parse_procedures(input.as_bytes(), &fields()).unwrap();
    assert_eq!(procs.len(), 4);
    assert_eq!(procs[0].code, "1.001193");
    assert_eq!(procs[0].processing_unit, ProcessingUnit::WorkingDays);
    assert_eq!(procs[1].name_vi, "Chứng thực chữ ký, văn bản");
    assert_eq!(procs[1].name_en, "");
    assert_eq!(procs[1].level, Level::Commune);
    assert!(procs[1].non_territorial && !procs[1].has_fees);
    assert_eq!(procs[1].processing_time, 0.5);
    assert_eq!(procs[2].level, Level::Provincial);
    assert!(procs[2].non_territorial && procs[2].has_fees);
    assert!(!procs[3].non_territorial);
    assert_eq!(procs[3].processing_unit, ProcessingUnit::Months);
    assert!(procs.iter().all(|p| !p.generated));
}

#[test]
fn columns_in_any_order_and_case() {
    let input = "ONLINE_LEVEL,code,name_en,name_vi,level,field_code,agency,has_fees,non_territorial,processing_unit,processing_time\n\
                 3,A.1,Birth,Khai sinh,commune,HT,UBND cấp xã,false,true,hours,8\n";
    let procs = parse_procedures(input.as_bytes(), &fields()).unwrap();
    assert_eq!(procs[0].online_level, 3);
    assert_eq!(procs[0].processing_unit, ProcessingUnit::Hours);
    assert_eq!(procs[0].processing_time, 8.0);
}

#[test]
fn blank_rows_are_skipped_and_lines_still_counted() {
    let input = format!("{HEADER}\n,,,,,,,,,,\n   \n\n{GOOD}\n , , ,,,,,,,,\n");
    let procs = parse_procedures(input.as_bytes(), &fields()).unwrap();
    assert_eq!(procs.len(), 1);
    let bad = format!(
        "{HEADER}\n,,,,,,,,,,\n   \n\n{}\n",
        GOOD.replace("HT", "??")
    );
    assert_eq!(errors(&bad), vec![(5, "field_code".to_string())]);
}

#[test]
fn line_numbers_with_cr_crlf_and_bom() {
    for nl in ["\n", "\r\n", "\r"] {
        let bad_row = GOOD.replace("commune", "?").replace("1.001193", "X.9");
        let input = format!("\u{feff}{HEADER}{nl}{GOOD}{nl}{nl}{bad_row}{nl}");
        assert_eq!(
            errors(&input),
            vec![(4, "level".to_string())],
            "newline {nl:?}"
        );
    }
}

#[test]
fn header_only_is_empty_catalogue() {
    assert_eq!(
        parse_procedures(HEADER.as_bytes(), &fields()).unwrap(),
        vec![]
    );
}

/// Table of single-error inputs: (name, body lines after the header, line, column).
#[test]
fn import_error_table() {
    let row = |f: &dyn Fn(&mut Vec<String>)| {
        let mut v: Vec<String> = GOOD.split(',').map(String::from).collect();
        f(&mut v);
        v.join(",")
    };
    let cases: Vec<(&str, String, u64, &str)> = vec![
        ("empty code", row(&|v| v[0] = "".into()), 2, "code"),
        (
            "code with space",
            row(&|v| v[0] = "1.00 1193".into()),
            2,
            "code",
        ),
        ("empty name_vi", row(&|v| v[1] = "  ".into()), 2, "name_vi"),
        (
            "unknown field",
            row(&|v| v[3] = "ZZ".into()),
            2,
            "field_code",
        ),
        ("empty field", row(&|v| v[3] = "".into()), 2, "field_code"),
        ("bad level", row(&|v| v[4] = "huyện".into()), 2, "level"),
        ("empty agency", row(&|v| v[5] = "".into()), 2, "agency"),
        (
            "bad bool",
            row(&|v| v[6] = "maybe".into()),
            2,
            "non_territorial",
        ),
        (
            "bad number",
            row(&|v| v[7] = "ba".into()),
            2,
            "processing_time",
        ),
        (
            "negative number",
            row(&|v| v[7] = "-1".into()),
            2,
            "processing_time",
        ),
        ("NaN", row(&|v| v[7] = "NaN".into()), 2, "processing_time"),
        ("inf", row(&|v| v[7] = "inf".into()), 2, "processing_time"),
        (
            "empty number",
            row(&|v| v[7] = "".into()),
            2,
            "processing_time",
        ),
        (
            "bad unit",
            row(&|v| v[8] = "weeks".into()),
            2,
            "processing_unit",
        ),
        ("bad fees", row(&|v| v[9] = "2".into()), 2, "has_fees"),
        (
            "online too high",
            row(&|v| v[10] = "5".into()),
            2,
            "online_level",
        ),
        (
            "online not a number",
            row(&|v| v[10] = "x".into()),
            2,
            "online_level",
        ),
        (
            "too few columns",
            row(&|v| {
                v.pop();
            }),
            2,
            "(record)",
        ),
        (
            "too many columns",
            row(&|v| v.push("extra".into())),
            2,
            "(record)",
        ),
        ("duplicate code", format!("{GOOD}\n{GOOD}"), 3, "code"),
        (
            "error on later line",
            format!(
                "{GOOD}\n{}",
                row(&|v| {
                    v[0] = "X".into();
                    v[3] = "??".into();
                })
            ),
            3,
            "field_code",
        ),
        (
            "blank lines are skipped but counted",
            format!("\n\n{}", row(&|v| v[4] = "?".into())),
            4,
            "level",
        ),
        (
            "multi-line quoted value counts lines",
            format!(
                "A.1,\"Tên\nhai dòng\",x,HT,xã,UBND cấp xã,1,1,days,0,1\n{}",
                row(&|v| v[6] = "?".into())
            ),
            4,
            "non_territorial",
        ),
    ];
    for (name, body, line, column) in cases {
        let input = format!("{HEADER}\n{body}\n");
        let mut errs = errors(&input);
        if name == "multi-line quoted value counts lines" {
            // The first record is rejected (line break in a name) at its start line.
            assert_eq!(errs.remove(0), (2, "name_vi".to_string()), "{name}");
        }
        assert_eq!(
            errs,
            vec![(line, column.to_string())],
            "case {name:?}: {input:?}"
        );
    }
}

#[test]
fn header_errors() {
    assert_eq!(errors(""), vec![(1, "(record)".to_string())]);
    assert_eq!(errors("\u{feff}"), vec![(1, "(record)".to_string())]);
    // Missing column.
    let missing = HEADER.replace(",has_fees", "");
    assert_eq!(errors(&missing), vec![(1, "has_fees".to_string())]);
    // Unknown column.
    assert_eq!(
        errors(&format!("{HEADER},colour")),
        vec![(1, "colour".to_string())]
    );
    // Duplicate column.
    assert_eq!(
        errors(&format!("{HEADER},agency")),
        vec![(1, "agency".to_string())]
    );
    // No header at all: a data row as first line.
    assert_eq!(errors(GOOD), vec![(1, "(record)".to_string())]);
    // Header names are matched case-, space- and diacritic-insensitively.
    let loose = HEADER
        .replace("name_vi", " Name VI ")
        .replace("has_fees", "HAS-FEES");
    assert!(parse_procedures(format!("{loose}\n{GOOD}").as_bytes(), &fields()).is_ok());
}

#[test]
fn all_errors_are_reported_and_nothing_is_returned() {
    let input = format!("{HEADER}\n{GOOD}\n,,,,,,,,,,x\nA,B,C\n{GOOD}\n");
    let err = parse_procedures(input.as_bytes(), &fields()).unwrap_err();
    let got: Vec<(u64, &str)> = err.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (3, "code"),
            (3, "name_vi"),
            (3, "field_code"),
            (3, "level"),
            (3, "agency"),
            (3, "non_territorial"),
            (3, "processing_time"),
            (3, "processing_unit"),
            (3, "has_fees"),
            (3, "online_level"),
            (4, "(record)"),
            (5, "code"),
        ]
    );
    let text = err.to_string();
    assert!(text.starts_with("12 errors in procedure CSV:"), "{text}");
    assert!(
        text.contains("line 5, column code: duplicate code \"1.001193\" (first on line 2)"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 13);
}

#[test]
fn invalid_utf8_is_an_error_with_position() {
    let mut input = format!("{HEADER}\n").into_bytes();
    input.extend_from_slice(b"A.1,T\xean,x,HT,xa,UBND,1,1,days,0,1\n");
    let err = parse_procedures(input.as_slice(), &fields()).unwrap_err();
    assert_eq!(
        err.0,
        vec![ImportError {
            line: 2,
            column: "name_vi".into(),
            message: "value is not valid UTF-8".into()
        }]
    );
}

#[test]
fn io_error_is_reported() {
    struct Broken;
    impl std::io::Read for Broken {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk on fire"))
        }
    }
    let err = parse_procedures(Broken, &fields()).unwrap_err();
    assert_eq!(err.len(), 1);
    assert_eq!(err.0[0].line, 0);
    assert_eq!(err.0[0].column, "(input)");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parse_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = parse_procedures(bytes.as_slice(), &fields());
    }

    #[test]
    fn parse_never_panics_on_csvish_text(
        rows in proptest::collection::vec(
            proptest::collection::vec("[a-zA-Z0-9 ,.\"\\-\n\r;:éĐđ\u{feff}]{0,12}", 0..13),
            0..6,
        )
    ) {
        let mut input = format!("{HEADER}\n");
        for r in rows {
            input.push_str(&r.join(","));
            input.push('\n');
        }
        match parse_procedures(input.as_bytes(), &fields()) {
            Ok(_) => {}
            Err(e) => {
                prop_assert!(!e.is_empty());
                for err in e.iter() {
                    prop_assert!(err.line >= 1);
                    prop_assert!(!err.column.is_empty());
                }
            }
        }
    }
}
