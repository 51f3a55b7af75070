//! Fields (lĩnh vực).

use crate::{FieldSeed, Level};

/// (code, name_vi, name_en, series)
const FIELDS: &[(&str, &str, &str, u8)] = &[
    ("HT", "Hộ tịch", "Civil status", 1),
    ("CT", "Chứng thực", "Authentication", 2),
    ("DD", "Đất đai", "Land", 3),
    ("DKKD", "Đăng ký kinh doanh", "Business registration", 4),
    ("XD", "Xây dựng", "Construction", 5),
    (
        "LDTBXH",
        "Lao động - Thương binh và Xã hội",
        "Labour, invalids and social affairs",
        6,
    ),
    ("TP", "Tư pháp", "Justice", 2),
    ("GTVT", "Giao thông vận tải", "Transport", 7),
    (
        "TNMT",
        "Tài nguyên và Môi trường",
        "Natural resources and environment",
        3,
    ),
    ("YT", "Y tế", "Health", 8),
    ("GDDT", "Giáo dục và Đào tạo", "Education and training", 8),
    ("CTH", "Công thương", "Industry and trade", 4),
    (
        "NNMT",
        "Nông nghiệp và Môi trường",
        "Agriculture and environment",
        9,
    ),
    (
        "VH",
        "Văn hóa, Thể thao và Du lịch",
        "Culture, sports and tourism",
        9,
    ),
    ("NV", "Nội vụ", "Home affairs", 7),
    ("TC", "Tài chính", "Finance", 4),
];

pub(crate) fn fields() -> Vec<FieldSeed> {
    FIELDS
        .iter()
        .map(|&(code, vi, en, series)| FieldSeed {
            code: code.to_string(),
            name_vi: vi.to_string(),
            name_en: en.to_string(),
            series,
        })
        .collect()
}

/// Fields that have commune-level procedures; every commune center serves all of them.
pub(crate) const COMMUNE_FIELDS: &[&str] = &[
    "HT", "CT", "TP", "DD", "DKKD", "XD", "LDTBXH", "NNMT", "VH", "NV", "GDDT", "CTH",
];

/// Default implementing agency of a field at a level.
pub(crate) fn default_agency(field: &str, level: Level) -> &'static str {
    if level == Level::Commune {
        return "UBND cấp xã";
    }
    match field {
        "HT" | "CT" | "TP" => "Sở Tư pháp",
        "DD" => "Văn phòng Đăng ký đất đai tỉnh",
        "DKKD" | "TC" => "Sở Tài chính",
        "XD" | "GTVT" => "Sở Xây dựng",
        "LDTBXH" | "NV" => "Sở Nội vụ",
        "TNMT" | "NNMT" => "Sở Nông nghiệp và Môi trường",
        "YT" => "Sở Y tế",
        "GDDT" => "Sở Giáo dục và Đào tạo",
        "CTH" => "Sở Công Thương",
        "VH" => "Sở Văn hóa, Thể thao và Du lịch",
        _ => "UBND tỉnh Quảng Ninh",
    }
}
