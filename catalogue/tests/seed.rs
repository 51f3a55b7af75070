use std::collections::{HashMap, HashSet};

use catalogue::{demo_province, fold, CenterKind, Level, ProcessingUnit};

#[test]
fn procedure_counts_are_exact() {
    let p = demo_province();
    let procs = &p.procedures;
    assert_eq!(procs.len(), 1823);
    let nt: Vec<_> = procs.iter().filter(|p| p.non_territorial).collect();
    assert_eq!(nt.len(), 1509);
    assert_eq!(
        nt.iter().filter(|p| p.level == Level::Provincial).count(),
        1255
    );
    assert_eq!(nt.iter().filter(|p| p.level == Level::Commune).count(), 254);
    assert_eq!(procs.iter().filter(|p| !p.non_territorial).count(), 314);
}

#[test]
fn demo_is_deterministic() {
    assert_eq!(demo_province(), demo_province());
}

#[test]
fn procedure_codes_unique_and_fields_exist() {
    let p = demo_province();
    let fields: HashSet<&str> = p.fields.iter().map(|f| f.code.as_str()).collect();
    let mut codes = HashSet::new();
    for proc in &p.procedures {
        assert!(
            codes.insert(proc.code.as_str()),
            "duplicate procedure code {}",
            proc.code
        );
        assert!(
            fields.contains(proc.field_code.as_str()),
            "{} has unknown field",
            proc.code
        );
        assert!(!proc.name_vi.is_empty() && !proc.name_en.is_empty() && !proc.agency.is_empty());
        assert!(proc.processing_time > 0.0 && proc.processing_time.is_finite());
        assert!(proc.online_level <= 4);
        if proc.generated {
            assert!(proc.code.starts_with("QN-SINH-"), "{}", proc.code);
            assert!(proc.name_vi.contains("dữ liệu sinh tự động"));
            assert!(proc.name_en.starts_with("Generated sample procedure"));
        } else {
            assert!(!proc.code.starts_with("QN-SINH-"));
        }
    }
}

#[test]
fn enough_real_procedures_with_required_names() {
    let p = demo_province();
    let real: Vec<_> = p.procedures.iter().filter(|p| !p.generated).collect();
    assert!(real.len() >= 80, "only {} real procedures", real.len());
    for name in [
        "Đăng ký khai sinh",
        "Đăng ký kết hôn",
        "Đăng ký khai tử",
        "Cấp bản sao trích lục hộ tịch",
        "Chứng thực bản sao từ bản chính",
        "Chứng thực chữ ký",
        "Đăng ký thành lập hộ kinh doanh",
        "Cấp giấy chứng nhận quyền sử dụng đất lần đầu",
        "Đăng ký biến động đất đai",
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
    ] {
        assert!(real.iter().any(|p| p.name_vi == name), "missing {name}");
    }
    let ks = p.procedure("1.001193").expect("khai sinh");
    assert_eq!(ks.name_vi, "Đăng ký khai sinh");
    assert_eq!(ks.level, Level::Commune);
    assert!(ks.non_territorial);
    // Real names are searchable without diacritics.
    assert!(real.iter().any(|p| fold(&p.name_vi) == "dang ky khai sinh"));
}

#[test]
fn fields_are_sane() {
    let p = demo_province();
    assert!((12..=16).contains(&p.fields.len()));
    let mut codes = HashSet::new();
    for f in &p.fields {
        assert!(codes.insert(f.code.as_str()));
        assert!((1..=9).contains(&f.series), "{}", f.code);
        assert!(f.code.is_ascii() && !f.name_vi.is_empty() && !f.name_en.is_empty());
    }
    for name in [
        "Hộ tịch",
        "Chứng thực",
        "Đất đai",
        "Đăng ký kinh doanh",
        "Xây dựng",
        "Lao động - Thương binh và Xã hội",
    ] {
        assert!(
            p.fields.iter().any(|f| f.name_vi == name),
            "missing field {name}"
        );
    }
    // Every field has procedures.
    for f in &p.fields {
        assert!(
            p.procedures.iter().any(|pr| pr.field_code == f.code),
            "{} unused",
            f.code
        );
    }
}

#[test]
fn centers_are_sane() {
    let p = demo_province();
    assert_eq!(p.centers.len(), 55);
    let provincial: Vec<_> = p
        .centers
        .iter()
        .filter(|c| c.kind == CenterKind::Provincial)
        .collect();
    assert_eq!(provincial.len(), 1);
    assert_eq!(
        provincial[0].name,
        "Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh"
    );
    assert_eq!(provincial[0].code, "QN");
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for c in &p.centers {
        assert!(
            codes.insert(c.code.as_str()),
            "duplicate center code {}",
            c.code
        );
        assert!(
            names.insert(c.name.as_str()),
            "duplicate center name {}",
            c.name
        );
        assert!(
            c.code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
            "{}",
            c.code
        );
        assert!(
            c.name.starts_with("Trung tâm Phục vụ hành chính công "),
            "{}",
            c.name
        );
        assert!(c.address.ends_with("tỉnh Quảng Ninh"), "{}", c.address);
        assert!(
            (20.8..=21.7).contains(&c.latitude),
            "{} lat {}",
            c.code,
            c.latitude
        );
        assert!(
            (106.4..=108.1).contains(&c.longitude),
            "{} lon {}",
            c.code,
            c.longitude
        );
    }
    for name in [
        "phường Hồng Gai",
        "phường Móng Cái 1",
        "đặc khu Vân Đồn",
        "đặc khu Cô Tô",
    ] {
        assert!(
            p.centers.iter().any(|c| c.name.ends_with(name)),
            "missing {name}"
        );
    }
}

#[test]
fn counters_cover_fields() {
    let p = demo_province();
    let all_fields: HashSet<&str> = p.fields.iter().map(|f| f.code.as_str()).collect();
    for c in &p.centers {
        let n = c.counters.len();
        match c.kind {
            CenterKind::Provincial => assert!((20..=30).contains(&n), "{} has {n}", c.code),
            CenterKind::Commune => assert!((3..=8).contains(&n), "{} has {n}", c.code),
        }
        for (i, counter) in c.counters.iter().enumerate() {
            assert_eq!(counter.number, i as u32 + 1, "{} counter numbering", c.code);
            assert!(
                (1..=3).contains(&counter.field_codes.len()),
                "{} #{}",
                c.code,
                counter.number
            );
            let distinct: HashSet<_> = counter.field_codes.iter().collect();
            assert_eq!(distinct.len(), counter.field_codes.len());
            for f in &counter.field_codes {
                assert!(
                    all_fields.contains(f.as_str()),
                    "{} serves unknown {f}",
                    c.code
                );
            }
        }
        let served: HashSet<String> = c.field_codes().into_iter().collect();
        if c.kind == CenterKind::Provincial || n >= 6 {
            assert_eq!(
                served.len(),
                all_fields.len(),
                "{} must serve all fields",
                c.code
            );
        } else {
            // Every field with commune-level procedures that a center serves is
            // served by at least one counter, and core fields are everywhere.
            for core in ["HT", "CT", "DD", "DKKD", "XD", "LDTBXH"] {
                assert!(served.contains(core), "{} lacks {core}", c.code);
            }
        }
    }
    // Every commune-level procedure can be served at every commune center.
    let commune_fields: HashSet<&str> = p
        .procedures
        .iter()
        .filter(|p| p.level == Level::Commune)
        .map(|p| p.field_code.as_str())
        .collect();
    for c in p.centers.iter().filter(|c| c.kind == CenterKind::Commune) {
        let served = c.field_codes();
        for f in &commune_fields {
            assert!(
                served.iter().any(|s| s == f),
                "{} does not serve {f}",
                c.code
            );
        }
    }
}

/// Test-side checker of the opening-hours grammar the backend parses:
/// `;`-separated clauses `DAYS RANGE [RANGE...]`, DAYS = `mon-fri`, a single
/// day or a comma list; RANGE = `HH:MM-HH:MM`.
fn check_hours(s: &str) -> Result<(), String> {
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let time = |t: &str| -> Result<u32, String> {
        let b = t.as_bytes();
        if b.len() != 5
            || b[2] != b':'
            || !t[..2]
                .bytes()
                .chain(t[3..].bytes())
                .all(|c| c.is_ascii_digit())
        {
            return Err(format!("bad time {t:?}"));
        }
        let (h, m): (u32, u32) = (t[..2].parse().unwrap(), t[3..].parse().unwrap());
        if h > 23 || m > 59 {
            return Err(format!("time out of range {t:?}"));
        }
        Ok(h * 60 + m)
    };
    let mut seen_days = HashSet::new();
    for clause in s.split(';') {
        let mut parts = clause.split_whitespace();
        let days = parts.next().ok_or("empty clause")?;
        let day_list: Vec<&str> = if days == "mon-fri" {
            DAYS[..5].to_vec()
        } else {
            days.split(',').collect()
        };
        for d in day_list {
            if !DAYS.contains(&d) {
                return Err(format!("bad day {d:?}"));
            }
            if !seen_days.insert(d) {
                return Err(format!("day {d} repeated"));
            }
        }
        let mut last_end = 0;
        let mut n = 0;
        for range in parts {
            let (a, b) = range
                .split_once('-')
                .ok_or(format!("bad range {range:?}"))?;
            let (a, b) = (time(a)?, time(b)?);
            if a >= b || a < last_end {
                return Err(format!("bad order {range:?}"));
            }
            last_end = b;
            n += 1;
        }
        if n == 0 {
            return Err(format!("clause {clause:?} has no range"));
        }
    }
    Ok(())
}

#[test]
fn hours_checker_rejects_bad_strings() {
    assert!(check_hours("mon-fri 07:30-11:30 13:30-17:00; sat 07:30-11:30").is_ok());
    assert!(check_hours("mon,tue,sat 08:00-12:00").is_ok());
    for bad in [
        "",
        "mon-fri",
        "mon-fri 7:30-11:30",
        "mon-sat 07:30-11:30",
        "xyz 07:00-08:00",
        "mon 12:00-08:00",
        "mon 07:00-11:00;",
        "mon 24:00-25:00",
    ] {
        assert!(check_hours(bad).is_err(), "{bad:?} accepted");
    }
}

#[test]
fn opening_hours_match_grammar() {
    let p = demo_province();
    for c in &p.centers {
        check_hours(&c.opening_hours).unwrap_or_else(|e| panic!("{}: {e}", c.code));
    }
    assert!(p.center("QN").unwrap().opening_hours.contains("sat"));
    assert!(p.center("HONGGAI").unwrap().opening_hours.contains("sat"));
}

#[test]
fn enums_roundtrip_as_str() {
    for u in [
        ProcessingUnit::Hours,
        ProcessingUnit::Days,
        ProcessingUnit::WorkingDays,
        ProcessingUnit::Months,
    ] {
        assert_eq!(u.as_str().parse::<ProcessingUnit>().unwrap(), u);
    }
    assert_eq!(ProcessingUnit::WorkingDays.as_str(), "working_days");
    assert_eq!(
        "ngày làm việc".parse::<ProcessingUnit>().unwrap(),
        ProcessingUnit::WorkingDays
    );
    assert!("fortnights".parse::<ProcessingUnit>().is_err());
    for l in [Level::Provincial, Level::Commune] {
        assert_eq!(l.as_str().parse::<Level>().unwrap(), l);
    }
    assert_eq!("Tỉnh".parse::<Level>().unwrap(), Level::Provincial);
    assert_eq!("xã".parse::<Level>().unwrap(), Level::Commune);
    for k in [CenterKind::Provincial, CenterKind::Commune] {
        assert_eq!(k.as_str().parse::<CenterKind>().unwrap(), k);
    }
}

#[test]
fn some_real_data_is_realistic() {
    let p = demo_province();
    let by_unit: HashMap<ProcessingUnit, usize> = p
        .procedures
        .iter()
        .filter(|p| !p.generated)
        .fold(HashMap::new(), |mut m, p| {
            *m.entry(p.processing_unit).or_default() += 1;
            m
        });
    assert!(by_unit.len() >= 3);
    assert!(p.procedures.iter().any(|p| p.agency == "Sở Tư pháp"));
    assert!(p.procedures.iter().any(|p| p.agency == "UBND cấp xã"));
}
