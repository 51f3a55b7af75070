//! The 55 service centers and their counters.

use crate::{CenterKind, CenterSeed, CounterSeed};

#[derive(Clone, Copy)]
enum Size {
    /// Big ward/special zone: 8 counters, all fields, open Saturday morning.
    Large,
    /// Ordinary ward or district-seat commune: 6 counters, all fields.
    Medium,
    /// Rural commune: 4 counters, the fields with commune-level procedures.
    Small,
}

/// (code, unit type, unit name, size, latitude, longitude, street part of the address)
type Row = (
    &'static str,
    &'static str,
    &'static str,
    Size,
    f64,
    f64,
    &'static str,
);

use Size::{Large, Medium, Small};

/// The 54 commune-level units (wards, communes, special zones) after the 2025
/// reorganisation, with the approximate position of their administrative seat.
const COMMUNES: &[Row] = &[
    // Former Hạ Long city
    (
        "HONGGAI",
        "phường",
        "Hồng Gai",
        Large,
        20.9545,
        107.0795,
        "Phố Lê Thánh Tông",
    ),
    (
        "HALONG",
        "phường",
        "Hạ Long",
        Large,
        20.9530,
        107.1170,
        "Đường Nguyễn Văn Cừ",
    ),
    (
        "BAICHAY",
        "phường",
        "Bãi Cháy",
        Large,
        20.9590,
        107.0450,
        "Đường Hạ Long, khu Bãi Cháy",
    ),
    (
        "HATU",
        "phường",
        "Hà Tu",
        Medium,
        20.9660,
        107.1550,
        "Đường Vũ Văn Hiếu",
    ),
    (
        "CAOXANH",
        "phường",
        "Cao Xanh",
        Medium,
        20.9780,
        107.0850,
        "Đường Cao Xanh",
    ),
    (
        "VIETHUNG",
        "phường",
        "Việt Hưng",
        Medium,
        21.0090,
        106.9960,
        "Quốc lộ 18A",
    ),
    (
        "TUANCHAU",
        "phường",
        "Tuần Châu",
        Medium,
        20.9450,
        106.9900,
        "Đường Đại Yên",
    ),
    (
        "HOANHBO",
        "phường",
        "Hoành Bồ",
        Medium,
        21.0230,
        107.0430,
        "Đường Hoành Bồ, khu Trới",
    ),
    (
        "THONGNHAT",
        "xã",
        "Thống Nhất",
        Small,
        21.0450,
        107.1030,
        "Thôn Đồng Lá",
    ),
    (
        "QUANGLA",
        "xã",
        "Quảng La",
        Small,
        21.0850,
        106.9350,
        "Thôn Đồng Dọng",
    ),
    (
        "KYTHUONG",
        "xã",
        "Kỳ Thượng",
        Small,
        21.1900,
        107.1300,
        "Thôn Khe Phương",
    ),
    // Former Cẩm Phả city
    (
        "CAMPHA",
        "phường",
        "Cẩm Phả",
        Large,
        21.0110,
        107.2930,
        "Đường Trần Phú",
    ),
    (
        "QUANGHANH",
        "phường",
        "Quang Hanh",
        Medium,
        21.0040,
        107.2300,
        "Quốc lộ 18A",
    ),
    (
        "CUAONG",
        "phường",
        "Cửa Ông",
        Medium,
        21.0290,
        107.3600,
        "Đường Lý Thường Kiệt",
    ),
    (
        "MONGDUONG",
        "phường",
        "Mông Dương",
        Medium,
        21.0650,
        107.3420,
        "Quốc lộ 18A",
    ),
    (
        "HAIHOA",
        "xã",
        "Hải Hòa",
        Small,
        21.0550,
        107.2750,
        "Thôn Đồng Mỏ",
    ),
    // Former Uông Bí city
    (
        "UONGBI",
        "phường",
        "Uông Bí",
        Large,
        21.0350,
        106.7740,
        "Đường Quang Trung",
    ),
    (
        "VANGDANH",
        "phường",
        "Vàng Danh",
        Medium,
        21.1000,
        106.8000,
        "Đường Vàng Danh",
    ),
    (
        "YENTU",
        "phường",
        "Yên Tử",
        Medium,
        21.0750,
        106.7400,
        "Đường Yên Tử",
    ),
    // Former Đông Triều town
    (
        "DONGTRIEU",
        "phường",
        "Đông Triều",
        Large,
        21.0840,
        106.5150,
        "Đường Nguyễn Bình",
    ),
    (
        "MAOKHE",
        "phường",
        "Mạo Khê",
        Large,
        21.0570,
        106.5950,
        "Quốc lộ 18",
    ),
    (
        "ANSINH",
        "phường",
        "An Sinh",
        Medium,
        21.1400,
        106.5200,
        "Khu An Sinh",
    ),
    (
        "BINHKHE",
        "phường",
        "Bình Khê",
        Medium,
        21.1200,
        106.5900,
        "Khu Bình Khê",
    ),
    (
        "HOANGQUE",
        "phường",
        "Hoàng Quế",
        Medium,
        21.0450,
        106.6350,
        "Khu Hoàng Quế",
    ),
    // Former Quảng Yên town
    (
        "QUANGYEN",
        "phường",
        "Quảng Yên",
        Large,
        20.9400,
        106.8100,
        "Đường Ngô Quyền",
    ),
    (
        "DONGMAI",
        "phường",
        "Đông Mai",
        Medium,
        21.0050,
        106.8400,
        "Quốc lộ 18",
    ),
    (
        "HIEPHOA",
        "phường",
        "Hiệp Hòa",
        Medium,
        20.9650,
        106.7750,
        "Khu Hiệp Hòa",
    ),
    (
        "HAAN",
        "phường",
        "Hà An",
        Medium,
        20.9000,
        106.8700,
        "Khu Hà An",
    ),
    (
        "LIENHOA",
        "phường",
        "Liên Hòa",
        Medium,
        20.8800,
        106.7950,
        "Khu Liên Hòa",
    ),
    (
        "PHONGCOC",
        "phường",
        "Phong Cốc",
        Medium,
        20.9050,
        106.8250,
        "Khu Phong Cốc",
    ),
    // Former Móng Cái city
    (
        "MONGCAI1",
        "phường",
        "Móng Cái 1",
        Large,
        21.5300,
        107.9650,
        "Đường Hùng Vương",
    ),
    (
        "MONGCAI2",
        "phường",
        "Móng Cái 2",
        Medium,
        21.5200,
        107.9900,
        "Đường Hữu Nghị",
    ),
    (
        "MONGCAI3",
        "phường",
        "Móng Cái 3",
        Medium,
        21.5100,
        107.9300,
        "Khu Ninh Dương",
    ),
    (
        "HAISON",
        "xã",
        "Hải Sơn",
        Small,
        21.5750,
        107.9000,
        "Thôn Pò Hèn",
    ),
    (
        "HAININH",
        "xã",
        "Hải Ninh",
        Small,
        21.4850,
        107.9000,
        "Thôn Bắc Sơn",
    ),
    (
        "VINHTHUC",
        "xã",
        "Vĩnh Thực",
        Small,
        21.3700,
        107.8800,
        "Thôn 2, đảo Vĩnh Thực",
    ),
    // Special zones (đặc khu)
    (
        "VANDON",
        "đặc khu",
        "Vân Đồn",
        Large,
        21.0650,
        107.4200,
        "Khu Cái Rồng",
    ),
    (
        "COTO",
        "đặc khu",
        "Cô Tô",
        Small,
        20.9780,
        107.7600,
        "Khu 1, đảo Cô Tô",
    ),
    // Former Tiên Yên district
    (
        "TIENYEN",
        "xã",
        "Tiên Yên",
        Medium,
        21.3300,
        107.3950,
        "Phố Lý Thường Kiệt",
    ),
    (
        "DIENXA",
        "xã",
        "Điền Xá",
        Small,
        21.3700,
        107.3400,
        "Thôn Khe Lặc",
    ),
    (
        "DONGNGU",
        "xã",
        "Đông Ngũ",
        Small,
        21.3200,
        107.4600,
        "Thôn Đông Hải",
    ),
    (
        "HAILANG",
        "xã",
        "Hải Lạng",
        Small,
        21.2750,
        107.4900,
        "Thôn Bình Minh",
    ),
    // Former Đầm Hà district
    (
        "DAMHA",
        "xã",
        "Đầm Hà",
        Medium,
        21.3550,
        107.5950,
        "Phố Lê Lợi",
    ),
    (
        "QUANGTAN",
        "xã",
        "Quảng Tân",
        Small,
        21.3900,
        107.6150,
        "Thôn Tân Tiến",
    ),
    // Former Hải Hà district
    (
        "QUANGHA",
        "xã",
        "Quảng Hà",
        Medium,
        21.4500,
        107.7500,
        "Đường Trần Phú",
    ),
    (
        "DUONGHOA",
        "xã",
        "Đường Hoa",
        Small,
        21.4900,
        107.6600,
        "Thôn 3",
    ),
    (
        "QUANGDUC",
        "xã",
        "Quảng Đức",
        Small,
        21.5400,
        107.7700,
        "Thôn 4",
    ),
    (
        "CAICHIEN",
        "xã",
        "Cái Chiên",
        Small,
        21.3450,
        107.7350,
        "Thôn Bắc, đảo Cái Chiên",
    ),
    // Former Bình Liêu district
    (
        "BINHLIEU",
        "xã",
        "Bình Liêu",
        Medium,
        21.5250,
        107.3950,
        "Khu Bình Công",
    ),
    (
        "HOANHMO",
        "xã",
        "Hoành Mô",
        Small,
        21.6000,
        107.5000,
        "Thôn Nà Ếch",
    ),
    (
        "LUCHON",
        "xã",
        "Lục Hồn",
        Small,
        21.5200,
        107.4500,
        "Thôn Nà Áng",
    ),
    // Former Ba Chẽ district
    ("BACHE", "xã", "Ba Chẽ", Medium, 21.2700, 107.2850, "Khu 3"),
    (
        "LUONGMINH",
        "xã",
        "Lương Minh",
        Small,
        21.1650,
        107.2150,
        "Thôn Bắc Xa",
    ),
    (
        "DONDAC",
        "xã",
        "Đồn Đạc",
        Small,
        21.3000,
        107.2500,
        "Thôn Pắc Cáy",
    ),
];

const HOURS_WEEKDAYS: &str = "mon-fri 07:30-11:30 13:30-17:00";
const HOURS_WITH_SATURDAY: &str = "mon-fri 07:30-11:30 13:30-17:00; sat 07:30-11:30";
const HOURS_PROVINCIAL: &str = "mon-fri 07:30-12:00 13:00-17:00; sat 08:00-11:30";

pub(crate) fn centers() -> Vec<CenterSeed> {
    let mut out = Vec::with_capacity(1 + COMMUNES.len());
    out.push(provincial());
    for &(code, unit, name, size, lat, lon, street) in COMMUNES {
        // Every commune center serves every field that has commune-level
        // procedures; wards and big units also serve the provincial-only
        // fields (their dossiers are transferred to the province).
        let layout = match size {
            Large => LARGE_DESKS,
            Medium => MEDIUM_DESKS,
            Small => SMALL_DESKS,
        };
        let hours = match size {
            Large => HOURS_WITH_SATURDAY,
            _ => HOURS_WEEKDAYS,
        };
        out.push(CenterSeed {
            code: code.to_string(),
            name: format!("Trung tâm Phục vụ hành chính công {unit} {name}"),
            kind: CenterKind::Commune,
            address: format!("{street}, {unit} {name}, tỉnh Quảng Ninh"),
            latitude: lat,
            longitude: lon,
            opening_hours: hours.to_string(),
            counters: desks(layout),
        });
    }
    out
}

/// Counter layouts (fields served by counters 1..n), related fields together.
const LARGE_DESKS: &[&[&str]] = &[
    &["HT"],
    &["HT", "CT"],
    &["CT", "TP"],
    &["DD", "TNMT"],
    &["DD", "XD", "GTVT"],
    &["DKKD", "CTH", "TC"],
    &["LDTBXH", "YT", "NV"],
    &["NNMT", "VH", "GDDT"],
];
const MEDIUM_DESKS: &[&[&str]] = &[
    &["HT", "TP"],
    &["CT", "GDDT"],
    &["DD", "TNMT", "NNMT"],
    &["XD", "GTVT", "VH"],
    &["DKKD", "CTH", "TC"],
    &["LDTBXH", "YT", "NV"],
];
const SMALL_DESKS: &[&[&str]] = &[
    &["HT", "CT", "TP"],
    &["DD", "NNMT", "XD"],
    &["DKKD", "CTH", "VH"],
    &["LDTBXH", "NV", "GDDT"],
];

fn desks(layout: &[&[&str]]) -> Vec<CounterSeed> {
    layout
        .iter()
        .enumerate()
        .map(|(i, fs)| CounterSeed {
            number: i as u32 + 1,
            field_codes: fs.iter().map(|f| f.to_string()).collect(),
        })
        .collect()
}

fn provincial() -> CenterSeed {
    // 24 counters; busy fields get several desks.
    const DESKS: &[&[&str]] = &[
        &["DD"],
        &["DD"],
        &["DD"],
        &["DD", "TNMT"],
        &["DKKD"],
        &["DKKD"],
        &["DKKD", "TC"],
        &["XD"],
        &["XD", "GTVT"],
        &["GTVT"],
        &["TP", "HT"],
        &["TP", "CT"],
        &["LDTBXH"],
        &["LDTBXH", "NV"],
        &["YT"],
        &["YT"],
        &["GDDT"],
        &["CTH"],
        &["CTH", "TC"],
        &["NNMT"],
        &["NNMT", "TNMT"],
        &["VH"],
        &["NV"],
        &["HT", "CT", "TP"],
    ];
    CenterSeed {
        code: "QN".to_string(),
        name: "Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh".to_string(),
        kind: CenterKind::Provincial,
        address: "Tầng 1, Trụ sở Liên cơ quan số 3, đường Trần Quốc Nghiễn, phường Hạ Long, tỉnh Quảng Ninh"
            .to_string(),
        latitude: 20.9520,
        longitude: 107.0960,
        opening_hours: HOURS_PROVINCIAL.to_string(),
        counters: desks(DESKS),
    }
}
