//! The procedure catalogue: real procedures plus clearly marked generated filler.

use super::fields::{default_agency, COMMUNE_FIELDS};
use crate::{FieldSeed, Level, ProcedureSeed, ProcessingUnit};

/// Total procedures applied in the province.
pub(crate) const TOTAL: usize = 1823;
/// Non-territorial procedures at provincial level.
pub(crate) const NT_PROVINCIAL: usize = 1255;
/// Non-territorial procedures at commune level.
pub(crate) const NT_COMMUNE: usize = 254;
/// Territorial procedures at provincial level (the split of the 314
/// territorial procedures between levels is ours).
pub(crate) const T_PROVINCIAL: usize = 204;
/// Territorial procedures at commune level.
pub(crate) const T_COMMUNE: usize = TOTAL - NT_PROVINCIAL - NT_COMMUNE - T_PROVINCIAL;

const P: Level = Level::Provincial;
const C: Level = Level::Commune;
const H: ProcessingUnit = ProcessingUnit::Hours;
const D: ProcessingUnit = ProcessingUnit::Days;
const W: ProcessingUnit = ProcessingUnit::WorkingDays;
const M: ProcessingUnit = ProcessingUnit::Months;

/// (code, name_vi, name_en, field, level, non_territorial, time, unit, has_fees,
/// online_level, agency — empty for the field's default agency)
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Level,
    bool,
    f64,
    ProcessingUnit,
    bool,
    u8,
    &'static str,
);

#[rustfmt::skip]
const REAL: &[Row] = &[
    // Hộ tịch
    ("1.001193", "Đăng ký khai sinh", "Birth registration", "HT", C, true, 1.0, W, false, 4, ""),
    ("1.000894", "Đăng ký kết hôn", "Marriage registration", "HT", C, true, 1.0, W, false, 3, ""),
    ("1.000656", "Đăng ký khai tử", "Death registration", "HT", C, true, 1.0, W, false, 4, ""),
    ("2.000635", "Cấp bản sao trích lục hộ tịch", "Issuance of copies of civil status extracts", "HT", C, true, 1.0, W, true, 4, ""),
    ("1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân", "Certification of marital status", "HT", C, true, 3.0, W, true, 4, ""),
    ("1.004859", "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", "Registration of change, correction or supplement of civil status information", "HT", C, true, 3.0, W, true, 3, ""),
    ("1.001022", "Đăng ký nhận cha, mẹ, con", "Registration of recognition of parents and children", "HT", C, true, 3.0, W, true, 3, ""),
    ("1.004837", "Đăng ký khai sinh kết hợp nhận cha, mẹ, con", "Birth registration combined with recognition of parents", "HT", C, true, 3.0, W, true, 3, ""),
    ("1.004884", "Đăng ký lại khai sinh", "Re-registration of birth", "HT", C, true, 5.0, W, true, 3, ""),
    ("1.004827", "Đăng ký lại kết hôn", "Re-registration of marriage", "HT", C, true, 5.0, W, true, 3, ""),
    ("1.005461", "Đăng ký lại khai tử", "Re-registration of death", "HT", C, true, 5.0, W, true, 3, ""),
    ("1.004845", "Đăng ký giám hộ", "Registration of guardianship", "HT", C, true, 3.0, W, true, 3, ""),
    ("1.004746", "Đăng ký chấm dứt giám hộ", "Registration of termination of guardianship", "HT", C, true, 2.0, W, true, 3, ""),
    ("2.000748", "Đăng ký khai sinh có yếu tố nước ngoài", "Birth registration with a foreign element", "HT", C, true, 3.0, W, true, 3, ""),
    ("1.001695", "Đăng ký kết hôn có yếu tố nước ngoài", "Marriage registration with a foreign element", "HT", C, true, 10.0, W, true, 3, ""),
    ("2.000779", "Đăng ký khai tử có yếu tố nước ngoài", "Death registration with a foreign element", "HT", C, true, 3.0, W, true, 3, ""),
    ("1.001766", "Ghi vào Sổ hộ tịch việc hộ tịch của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài", "Recording in the civil status register of civil status events of Vietnamese citizens settled abroad", "HT", C, true, 5.0, W, true, 3, ""),
    ("1.000110", "Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi", "Linked procedure: birth registration, permanent residence registration and health insurance card for children under 6", "HT", C, true, 5.0, W, false, 4, ""),
    ("1.000689", "Liên thông thủ tục hành chính về đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ tử tuất", "Linked procedure: death registration, deletion of permanent residence and survivor allowances", "HT", C, true, 5.0, W, false, 4, ""),
    // Chứng thực
    ("2.000815", "Chứng thực bản sao từ bản chính", "Certification of copies from originals", "CT", C, true, 1.0, W, true, 2, ""),
    ("2.000884", "Chứng thực chữ ký", "Certification of signatures", "CT", C, true, 1.0, W, true, 2, ""),
    ("2.000843", "Chứng thực chữ ký người dịch", "Certification of translator's signatures", "CT", C, true, 1.0, W, true, 2, ""),
    ("2.000913", "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản", "Certification of contracts and transactions concerning movable property", "CT", C, true, 2.0, W, true, 2, ""),
    ("2.001035", "Chứng thực hợp đồng, giao dịch liên quan đến quyền sử dụng đất, nhà ở", "Certification of contracts and transactions concerning land use rights and houses", "CT", C, false, 2.0, W, true, 2, ""),
    ("2.000927", "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch", "Certification of amendment, supplement or cancellation of contracts and transactions", "CT", C, true, 2.0, W, true, 2, ""),
    ("2.000942", "Chứng thực di chúc", "Certification of wills", "CT", C, true, 2.0, W, true, 2, ""),
    ("2.001019", "Chứng thực văn bản thỏa thuận phân chia di sản", "Certification of agreements on division of estates", "CT", C, false, 2.0, W, true, 2, ""),
    ("2.001016", "Chứng thực văn bản khai nhận di sản", "Certification of declarations of inheritance acceptance", "CT", C, false, 2.0, W, true, 2, ""),
    ("2.000992", "Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực", "Issuance of certified copies of certified contracts and transactions", "CT", C, true, 1.0, W, true, 2, ""),
    // Tư pháp
    ("2.001417", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam", "Issuance of judicial records to Vietnamese citizens and foreigners residing in Vietnam", "TP", P, true, 10.0, W, true, 4, ""),
    ("1.008927", "Đăng ký hành nghề luật sư với tư cách cá nhân", "Registration of practice as an individual lawyer", "TP", P, true, 7.0, W, true, 3, ""),
    ("1.001153", "Đăng ký hoạt động của tổ chức hành nghề luật sư", "Registration of operation of law-practising organisations", "TP", P, true, 10.0, W, true, 3, ""),
    ("1.001071", "Đăng ký hoạt động Văn phòng công chứng", "Registration of operation of notary offices", "TP", P, true, 10.0, W, true, 3, ""),
    ("1.001125", "Cấp Thẻ công chứng viên", "Issuance of notary public cards", "TP", P, true, 10.0, W, true, 3, ""),
    ("2.000554", "Cấp Thẻ đấu giá viên", "Issuance of auctioneer cards", "TP", P, true, 7.0, W, true, 3, ""),
    ("1.000578", "Đăng ký hoạt động của Trung tâm hòa giải thương mại", "Registration of operation of commercial mediation centers", "TP", P, true, 15.0, D, true, 3, ""),
    ("2.002080", "Thủ tục thực hiện hòa giải ở cơ sở", "Grassroots mediation", "TP", C, false, 15.0, D, false, 2, ""),
    // Đăng ký kinh doanh
    ("2.000720", "Đăng ký thành lập hộ kinh doanh", "Registration of establishment of a household business", "DKKD", C, true, 3.0, W, true, 4, ""),
    ("2.000575", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "Registration of changes to household business registration", "DKKD", C, true, 3.0, W, true, 4, ""),
    ("1.001266", "Thông báo tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo của hộ kinh doanh", "Notice of suspension or early resumption of a household business", "DKKD", C, true, 3.0, W, false, 4, ""),
    ("1.001570", "Chấm dứt hoạt động hộ kinh doanh", "Termination of a household business", "DKKD", C, true, 3.0, W, false, 4, ""),
    ("1.001612", "Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh", "Re-issuance of household business registration certificates", "DKKD", C, true, 3.0, W, true, 4, ""),
    ("2.001610", "Đăng ký thành lập doanh nghiệp tư nhân", "Registration of establishment of a sole proprietorship", "DKKD", P, true, 3.0, W, true, 4, ""),
    ("2.002036", "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên", "Registration of establishment of a single-member limited liability company", "DKKD", P, true, 3.0, W, true, 4, ""),
    ("2.002038", "Đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên trở lên", "Registration of establishment of a multi-member limited liability company", "DKKD", P, true, 3.0, W, true, 4, ""),
    ("2.002040", "Đăng ký thành lập công ty cổ phần", "Registration of establishment of a joint-stock company", "DKKD", P, true, 3.0, W, true, 4, ""),
    ("2.002042", "Đăng ký thành lập công ty hợp danh", "Registration of establishment of a partnership", "DKKD", P, true, 3.0, W, true, 4, ""),
    ("2.002045", "Đăng ký thay đổi nội dung đăng ký doanh nghiệp", "Registration of changes to enterprise registration", "DKKD", P, true, 3.0, W, true, 4, ""),
    ("2.002060", "Thông báo tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo", "Notice of business suspension or early resumption", "DKKD", P, true, 3.0, W, false, 4, ""),
    ("2.002064", "Đăng ký giải thể doanh nghiệp", "Registration of enterprise dissolution", "DKKD", P, true, 5.0, W, false, 4, ""),
    ("2.002050", "Đăng ký hoạt động chi nhánh, văn phòng đại diện, địa điểm kinh doanh", "Registration of branches, representative offices and business locations", "DKKD", P, true, 3.0, W, true, 4, ""),
    ("2.002075", "Cấp lại Giấy chứng nhận đăng ký doanh nghiệp", "Re-issuance of enterprise registration certificates", "DKKD", P, true, 3.0, W, true, 4, ""),
    // Đất đai
    ("1.012795", "Cấp giấy chứng nhận quyền sử dụng đất lần đầu", "First-time issuance of land use right certificates", "DD", C, false, 20.0, W, true, 3, ""),
    ("1.012791", "Đăng ký biến động đất đai", "Registration of changes in land use", "DD", P, true, 10.0, W, true, 3, ""),
    ("1.012798", "Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", "Exchange of land use right and attached asset certificates", "DD", P, true, 7.0, W, true, 3, ""),
    ("1.012799", "Cấp lại Giấy chứng nhận quyền sử dụng đất do bị mất", "Re-issuance of lost land use right certificates", "DD", P, true, 10.0, W, true, 3, ""),
    ("1.012800", "Đính chính Giấy chứng nhận quyền sử dụng đất đã cấp", "Correction of issued land use right certificates", "DD", P, true, 10.0, W, false, 3, ""),
    ("1.012802", "Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất", "Registration of mortgages of land use rights and attached assets", "DD", P, true, 3.0, W, true, 4, ""),
    ("1.012803", "Xóa đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất", "Deregistration of mortgages of land use rights and attached assets", "DD", P, true, 3.0, W, false, 4, ""),
    ("1.012806", "Tách thửa hoặc hợp thửa đất", "Land plot division or merger", "DD", P, false, 15.0, W, true, 3, ""),
    ("1.012808", "Chuyển mục đích sử dụng đất", "Change of land use purpose", "DD", C, false, 15.0, W, true, 2, ""),
    ("1.012810", "Giao đất, cho thuê đất không thông qua đấu giá quyền sử dụng đất", "Land allocation or lease without auction", "DD", P, false, 20.0, W, true, 2, "UBND tỉnh Quảng Ninh"),
    ("1.012812", "Hòa giải tranh chấp đất đai", "Mediation of land disputes", "DD", C, false, 30.0, D, false, 2, ""),
    ("1.012814", "Cung cấp thông tin, dữ liệu đất đai", "Provision of land information and data", "DD", P, true, 2.0, W, true, 4, ""),
    // Xây dựng
    ("1.009994", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Construction permit for a detached house", "XD", C, false, 15.0, D, true, 3, ""),
    ("1.009995", "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II", "Construction permit for new special-grade, grade I and grade II works", "XD", P, false, 20.0, D, true, 3, ""),
    ("1.009996", "Cấp giấy phép sửa chữa, cải tạo công trình", "Permit for repair or renovation of works", "XD", P, false, 20.0, D, true, 3, ""),
    ("1.009997", "Điều chỉnh giấy phép xây dựng", "Amendment of construction permits", "XD", P, false, 20.0, D, true, 3, ""),
    ("1.009998", "Gia hạn giấy phép xây dựng", "Extension of construction permits", "XD", P, true, 5.0, W, true, 3, ""),
    ("1.009999", "Cấp lại giấy phép xây dựng", "Re-issuance of construction permits", "XD", P, true, 5.0, W, true, 3, ""),
    ("1.010001", "Gia hạn giấy phép xây dựng nhà ở riêng lẻ", "Extension of construction permits for detached houses", "XD", C, true, 5.0, W, true, 3, ""),
    ("1.009972", "Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III", "Construction practice certificates, class II and III", "XD", P, true, 20.0, D, true, 4, ""),
    ("1.009974", "Cấp chứng chỉ năng lực hoạt động xây dựng hạng II, hạng III", "Construction capability certificates, class II and III", "XD", P, true, 20.0, D, true, 4, ""),
    ("1.009980", "Thẩm định Báo cáo nghiên cứu khả thi đầu tư xây dựng", "Appraisal of construction investment feasibility study reports", "XD", P, false, 30.0, D, true, 3, ""),
    // Giao thông vận tải
    ("1.002804", "Cấp Giấy phép kinh doanh vận tải bằng xe ô tô", "Licence for road transport business by car", "GTVT", P, true, 5.0, W, true, 4, ""),
    ("1.002859", "Cấp phù hiệu xe ô tô kinh doanh vận tải", "Issuance of badges for commercial transport vehicles", "GTVT", P, true, 2.0, W, false, 4, ""),
    ("1.002793", "Cấp Giấy phép liên vận Việt Nam - Trung Quốc", "Vietnam–China cross-border transport permit", "GTVT", P, true, 3.0, W, true, 3, ""),
    ("1.003658", "Đăng ký phương tiện thủy nội địa lần đầu", "First registration of inland waterway vehicles", "GTVT", P, true, 3.0, W, true, 3, ""),
    ("1.003660", "Đăng ký lại phương tiện thủy nội địa", "Re-registration of inland waterway vehicles", "GTVT", P, true, 3.0, W, true, 3, ""),
    ("1.004903", "Chấp thuận xây dựng công trình thiết yếu trong phạm vi bảo vệ kết cấu hạ tầng giao thông đường bộ", "Approval of essential works within road infrastructure protection zones", "GTVT", P, false, 7.0, W, false, 3, ""),
    // Lao động - Thương binh và Xã hội
    ("1.000401", "Giải quyết hưởng trợ cấp thất nghiệp", "Settlement of unemployment benefits", "LDTBXH", P, true, 20.0, D, false, 3, "Trung tâm Dịch vụ việc làm tỉnh"),
    ("2.000205", "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam", "Work permits for foreign workers in Vietnam", "LDTBXH", P, true, 5.0, W, true, 4, ""),
    ("2.000192", "Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động", "Certification that a foreign worker is exempt from a work permit", "LDTBXH", P, true, 5.0, W, false, 4, ""),
    ("2.001955", "Đăng ký nội quy lao động", "Registration of labour regulations", "LDTBXH", P, true, 7.0, W, false, 3, ""),
    ("1.001776", "Thực hiện trợ cấp xã hội hằng tháng", "Monthly social allowances", "LDTBXH", C, false, 15.0, W, false, 3, ""),
    ("1.001731", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", "Funeral allowance for social protection beneficiaries", "LDTBXH", C, false, 3.0, W, false, 3, ""),
    ("1.001699", "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật", "Determination of disability level and issuance of disability certificates", "LDTBXH", C, true, 30.0, D, false, 3, ""),
    ("1.001653", "Đổi, cấp lại Giấy xác nhận khuyết tật", "Exchange or re-issuance of disability certificates", "LDTBXH", C, true, 5.0, W, false, 3, ""),
    ("1.003057", "Giải quyết chế độ trợ cấp một lần đối với người có thành tích tham gia kháng chiến", "One-off allowance for people with resistance merits", "LDTBXH", P, true, 30.0, D, false, 2, ""),
    ("1.002440", "Cấp giấy xác nhận thân nhân của người có công", "Certification of relatives of people with meritorious service", "LDTBXH", C, true, 5.0, W, false, 3, ""),
    // Tài nguyên và Môi trường
    ("1.010727", "Cấp giấy phép môi trường", "Environmental permits", "TNMT", P, false, 30.0, D, true, 3, ""),
    ("1.010728", "Thẩm định báo cáo đánh giá tác động môi trường", "Appraisal of environmental impact assessment reports", "TNMT", P, false, 30.0, D, true, 3, ""),
    ("1.004232", "Cấp giấy phép khai thác, sử dụng nước dưới đất", "Licence to extract and use groundwater", "TNMT", P, false, 30.0, D, true, 3, ""),
    ("2.000355", "Cấp giấy phép thăm dò khoáng sản", "Mineral exploration licences", "TNMT", P, false, 45.0, D, true, 2, ""),
    ("1.010733", "Đăng ký môi trường", "Environmental registration", "NNMT", C, false, 15.0, D, false, 3, ""),
    // Nông nghiệp và Môi trường
    ("1.003612", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông lâm thủy sản", "Food-safety eligibility certificate for agricultural, forestry and fishery establishments", "NNMT", P, true, 15.0, W, true, 3, ""),
    ("1.004359", "Cấp văn bản chấp thuận khai thác thủy sản", "Approval of fishing operations", "NNMT", P, true, 6.0, W, true, 3, ""),
    ("1.004692", "Đăng ký tàu cá", "Registration of fishing vessels", "NNMT", P, true, 3.0, W, true, 3, ""),
    ("1.003514", "Cấp giấy chứng nhận kiểm dịch động vật, sản phẩm động vật vận chuyển ra khỏi địa bàn cấp tỉnh", "Quarantine certificates for animals and animal products leaving the province", "NNMT", P, true, 1.0, W, true, 3, "Chi cục Chăn nuôi và Thú y"),
    ("1.003524", "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai, dịch bệnh", "Support to restore production after natural disasters or epidemics", "NNMT", C, false, 10.0, W, false, 2, ""),
    // Y tế
    ("1.012266", "Cấp giấy phép hành nghề khám bệnh, chữa bệnh", "Licences to practise medical examination and treatment", "YT", P, true, 20.0, D, true, 3, ""),
    ("1.012270", "Cấp giấy phép hoạt động đối với phòng khám chuyên khoa", "Operating licences for specialist clinics", "YT", P, false, 30.0, D, true, 3, ""),
    ("1.004616", "Cấp Chứng chỉ hành nghề dược", "Pharmacy practice certificates", "YT", P, true, 20.0, D, true, 3, ""),
    ("1.004599", "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược đối với cơ sở bán lẻ thuốc", "Pharmaceutical business eligibility certificates for drug retailers", "YT", P, true, 20.0, D, true, 3, ""),
    ("1.001886", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở kinh doanh dịch vụ ăn uống", "Food-safety eligibility certificates for catering businesses", "YT", P, true, 20.0, D, true, 3, ""),
    // Giáo dục và Đào tạo
    ("1.005092", "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", "Issuance of copies of diplomas and certificates from master registers", "GDDT", P, true, 1.0, W, true, 4, ""),
    ("1.005088", "Chỉnh sửa nội dung văn bằng, chứng chỉ", "Correction of diplomas and certificates", "GDDT", P, true, 5.0, W, false, 3, ""),
    ("1.001964", "Công nhận văn bằng tốt nghiệp các cấp học phổ thông do cơ sở nước ngoài cấp", "Recognition of foreign secondary-school diplomas", "GDDT", P, true, 20.0, D, false, 3, ""),
    ("1.001639", "Chuyển trường đối với học sinh trung học cơ sở", "School transfer for lower secondary pupils", "GDDT", C, true, 3.0, W, false, 3, ""),
    ("1.004492", "Cho phép trường mầm non, nhà trẻ hoạt động giáo dục", "Permission for kindergartens and nurseries to operate", "GDDT", C, false, 20.0, W, false, 2, ""),
    // Công thương
    ("2.000633", "Cấp Giấy phép bán lẻ sản phẩm rượu", "Licences for retail sale of alcohol", "CTH", C, true, 10.0, W, true, 3, ""),
    ("2.000620", "Cấp Giấy phép bán lẻ sản phẩm thuốc lá", "Licences for retail sale of tobacco", "CTH", P, true, 15.0, W, true, 3, ""),
    ("2.000647", "Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu", "Certificates of eligibility for petrol retail stores", "CTH", P, false, 15.0, W, true, 3, ""),
    ("2.000164", "Cấp giấy phép hoạt động điện lực", "Electricity operation licences", "CTH", P, true, 15.0, W, true, 3, ""),
    ("2.000370", "Đăng ký dấu nghiệp vụ giám định thương mại", "Registration of commercial assessment seals", "CTH", P, true, 5.0, W, false, 3, ""),
    // Văn hóa, Thể thao và Du lịch
    ("1.001029", "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke", "Licences for karaoke businesses", "VH", C, false, 5.0, W, true, 3, ""),
    ("1.004594", "Cấp Giấy phép kinh doanh dịch vụ lữ hành nội địa", "Domestic travel business licences", "VH", P, true, 10.0, W, true, 4, ""),
    ("1.004628", "Cấp thẻ hướng dẫn viên du lịch nội địa", "Domestic tour guide cards", "VH", P, true, 10.0, W, true, 4, ""),
    ("1.001436", "Công nhận hạng cơ sở lưu trú du lịch hạng 1 sao, 2 sao, 3 sao", "Rating of tourist accommodation, 1 to 3 stars", "VH", P, true, 30.0, D, true, 3, ""),
    ("1.001120", "Thông báo tổ chức lễ hội cấp xã", "Notice of commune-level festivals", "VH", C, false, 5.0, W, false, 2, ""),
    // Nội vụ
    ("1.000775", "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã", "Certificates of merit of the commune People's Committee chairperson", "NV", C, false, 20.0, W, false, 2, ""),
    ("1.001055", "Đăng ký hoạt động tín ngưỡng", "Registration of belief activities", "NV", C, false, 15.0, D, false, 2, ""),
    ("1.001085", "Đăng ký sinh hoạt tôn giáo tập trung", "Registration of collective religious activities", "NV", C, false, 20.0, D, false, 2, ""),
    ("1.003822", "Thành lập hội", "Establishment of associations", "NV", P, true, 30.0, D, false, 3, ""),
    ("1.003827", "Phê duyệt điều lệ hội", "Approval of association charters", "NV", P, true, 30.0, D, false, 3, ""),
    ("1.003916", "Công nhận ban vận động thành lập hội", "Recognition of association founding committees", "NV", P, true, 30.0, D, false, 3, ""),
    // Tài chính
    ("1.005434", "Đăng ký mã số đơn vị có quan hệ với ngân sách", "Registration of budget-relation unit codes", "TC", P, true, 2.0, W, false, 4, ""),
    ("1.005442", "Thẩm tra, phê duyệt quyết toán vốn đầu tư dự án hoàn thành", "Verification and approval of final settlement of completed investment projects", "TC", P, false, 4.0, M, false, 2, ""),
    ("2.002155", "Cấp Giấy chứng nhận đăng ký đầu tư", "Investment registration certificates", "TC", P, true, 15.0, D, false, 3, ""),
    ("2.002156", "Điều chỉnh Giấy chứng nhận đăng ký đầu tư", "Amendment of investment registration certificates", "TC", P, true, 10.0, D, false, 3, ""),
    ("1.010090", "Xác nhận hoàn thành nghĩa vụ tài chính về đất đai", "Confirmation of fulfilment of land financial obligations", "TC", P, true, 8.0, H, false, 3, ""),
];

/// Real procedures first (in table order), then generated filler per bucket:
/// provincial non-territorial, commune non-territorial, provincial
/// territorial, commune territorial.
pub(crate) fn procedures(fields: &[FieldSeed]) -> Vec<ProcedureSeed> {
    let mut out: Vec<ProcedureSeed> = REAL
        .iter()
        .map(
            |&(code, vi, en, field, level, nt, time, unit, fees, online, agency)| ProcedureSeed {
                code: code.to_string(),
                name_vi: vi.to_string(),
                name_en: en.to_string(),
                field_code: field.to_string(),
                level,
                agency: if agency.is_empty() {
                    default_agency(field, level)
                } else {
                    agency
                }
                .to_string(),
                non_territorial: nt,
                processing_time: time,
                processing_unit: unit,
                has_fees: fees,
                online_level: online,
                generated: false,
            },
        )
        .collect();

    let all_fields: Vec<&FieldSeed> = fields.iter().collect();
    let commune_fields: Vec<&FieldSeed> = fields
        .iter()
        .filter(|f| COMMUNE_FIELDS.contains(&f.code.as_str()))
        .collect();

    let mut seq = 0usize;
    for (level, nt, target) in [
        (P, true, NT_PROVINCIAL),
        (C, true, NT_COMMUNE),
        (P, false, T_PROVINCIAL),
        (C, false, T_COMMUNE),
    ] {
        let have = out
            .iter()
            .filter(|p| p.level == level && p.non_territorial == nt)
            .count();
        let pool = if level == P {
            &all_fields
        } else {
            &commune_fields
        };
        for i in 0..target.saturating_sub(have) {
            seq += 1;
            out.push(generated(seq, pool[i % pool.len()], level, nt));
        }
    }
    out
}

fn generated(seq: usize, field: &FieldSeed, level: Level, nt: bool) -> ProcedureSeed {
    const TIMES: &[(f64, ProcessingUnit)] = &[
        (3.0, W),
        (5.0, W),
        (7.0, W),
        (10.0, W),
        (15.0, D),
        (20.0, D),
        (30.0, D),
        (8.0, H),
        (1.0, M),
    ];
    let (time, unit) = TIMES[seq % TIMES.len()];
    ProcedureSeed {
        code: format!("QN-SINH-{seq:04}"),
        name_vi: format!(
            "Thủ tục mẫu số {seq:04} – lĩnh vực {} (dữ liệu sinh tự động)",
            field.name_vi
        ),
        name_en: format!("Generated sample procedure {seq:04} – {}", field.name_en),
        field_code: field.code.clone(),
        level,
        agency: default_agency(&field.code, level).to_string(),
        non_territorial: nt,
        processing_time: time,
        processing_unit: unit,
        has_fees: !seq.is_multiple_of(3),
        online_level: 2 + (seq % 3) as u8,
        generated: true,
    }
}
