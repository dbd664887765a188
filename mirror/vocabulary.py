"""Vietnamese words and phrases of a provincial People's Council, the raw material of generated articles."""

PROVINCE = "Hòa Bình"
# Old-style tone placement of the same name: both spellings occur on real sites.
PROVINCE_OLD_SPELLING = "Hoà Bình"
SITE_NAME = "Hội đồng nhân dân Tỉnh"

SURNAMES = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Bùi", "Đinh", "Quách", "Xa", "Đặng", "Vũ", "Đỗ", "Hà", "Ngô",
    "Đào", "Lò", "Triệu", "Đoàn", "Trương", "Phùng",
)
MIDDLE_NAMES = (
    "Văn", "Thị", "Đức", "Minh", "Thanh", "Tiến", "Quang", "Hồng", "Ngọc", "Xuân", "Thu", "Hữu", "Công",
    "Mạnh", "Kim", "Thế",
)
GIVEN_NAMES = (
    "Hinh", "Lực", "Hùng", "Lan", "Hương", "Tuấn", "Dũng", "Thắng", "Hà", "Phương", "Khánh", "Nga", "Sơn",
    "Long", "Hải", "Quyết", "Thủy", "Thuỷ", "Chiến", "Đông", "Giang", "Nhung", "Bình", "Trường", "Toàn",
)
REPORTERS = (
    "Minh Anh", "Thu Trang", "Hồng Nhung", "Đức Anh", "Thanh Hà", "Quang Huy", "Ngọc Mai", "Văn Đức",
    "Phương Thảo", "Trung Kiên", "MINH ĐỨC", "THU HÀ",
)

POSITIONS = (
    "Phó Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh",
    "Phó Chủ tịch HĐND tỉnh",
    "Phó Chủ tịch Thường trực HĐND tỉnh",
    "Ủy viên Ban Thường vụ Tỉnh ủy, Trưởng Ban Dân vận Tỉnh ủy",
    "Trưởng Ban Pháp chế HĐND tỉnh",
    "Trưởng Ban Kinh tế - Ngân sách HĐND tỉnh",
    "Trưởng Ban Văn hóa - Xã hội HĐND tỉnh",
    "Trưởng Ban Dân tộc HĐND tỉnh",
    "Chánh Văn phòng Đoàn ĐBQH và HĐND tỉnh",
    "Phó Chủ tịch UBND tỉnh",
    "Giám đốc Sở Tài chính",
    "Giám đốc Sở Kế hoạch & Đầu tư",
    "Giám đốc Sở Nông nghiệp và Phát triển nông thôn",
    "Giám đốc Sở Giáo dục và Đào tạo",
    "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh",
    "Phó Trưởng Đoàn ĐBQH tỉnh",
)
BOARDS = ("Pháp chế", "Kinh tế - Ngân sách", "Văn hóa - Xã hội", "Dân tộc")
AGENCIES = (
    "UBND tỉnh", "Sở Tài chính", "Sở Kế hoạch & Đầu tư", "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Tài nguyên và Môi trường", "Sở Giao thông vận tải",
    "Sở Lao động - Thương binh và Xã hội", "Ban Dân tộc tỉnh", "Công an tỉnh", "Thanh tra tỉnh",
    "Sở Xây dựng", "Sở Nội vụ", "Ủy ban MTTQ Việt Nam tỉnh",
)
PLACES = (
    "huyện Lạc Sơn", "huyện Mai Châu", "thành phố Hòa Bình", "huyện Kim Bôi", "huyện Cao Phong",
    "huyện Tân Lạc", "huyện Yên Thủy", "huyện Yên Thuỷ", "huyện Lương Sơn", "huyện Đà Bắc", "huyện Lạc Thủy",
    "xã Vầy Nưa", "xã Tú Sơn", "xã Mường Chiềng", "phường Đồng Tiến", "thị trấn Vụ Bản",
)

EVENTS = (
    "hội nghị giao ban công tác HĐND các huyện, thành phố",
    "hội nghị triển khai nhiệm vụ năm",
    "phiên họp thường kỳ của Thường trực HĐND tỉnh",
    "hội nghị lấy ý kiến góp ý dự thảo nghị quyết",
    "buổi làm việc về tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội",
    "hội nghị tổng kết công tác dân vận",
    "hội thảo nâng cao chất lượng hoạt động chất vấn",
    "buổi khảo sát thực tế các công trình trọng điểm",
    "lễ trao Kỷ niệm chương “Vì sự nghiệp dân vận”",
    "hội nghị sơ kết 6 tháng đầu năm",
)
TOPICS = (
    "công tác dân vận chính quyền",
    "thực hiện Quy chế dân chủ ở cơ sở",
    "xây dựng nông thôn mới",
    "giảm nghèo bền vững",
    "giải ngân vốn đầu tư công",
    "quản lý, sử dụng đất đai",
    "bảo vệ môi trường ở các khu công nghiệp",
    "chăm sóc sức khỏe Nhân dân",
    "đổi mới chương trình giáo dục phổ thông",
    "cải cách hành chính và chuyển đổi số",
    "giải quyết khiếu nại, tố cáo của công dân",
    "phòng, chống thiên tai và tìm kiếm cứu nạn",
    "phát triển du lịch cộng đồng",
    "thực hiện chính sách đối với đồng bào dân tộc thiểu số",
    "bảo đảm an toàn giao thông",
)
POLICIES = (
    "mức thu học phí đối với cơ sở giáo dục công lập",
    "chính sách hỗ trợ phát triển sản xuất nông nghiệp",
    "phân cấp nguồn thu, nhiệm vụ chi ngân sách địa phương",
    "kế hoạch đầu tư công trung hạn giai đoạn 2021 - 2025",
    "danh mục dự án cần thu hồi đất",
    "chế độ hỗ trợ đối với người hoạt động không chuyên trách ở cấp xã",
    "bảng giá đất trên địa bàn tỉnh",
    "chính sách thu hút nguồn nhân lực chất lượng cao",
    "định mức phân bổ dự toán chi thường xuyên",
    "mức chi bảo đảm hoạt động của HĐND các cấp",
)
ACHIEVEMENTS = (
    ("giải ngân", "tỷ đồng"), ("xây dựng mới", "phòng học"), ("hỗ trợ", "hộ nghèo"),
    ("cấp", "giấy chứng nhận quyền sử dụng đất"), ("tiếp", "lượt công dân"), ("trồng mới", "ha rừng"),
    ("giải quyết việc làm cho", "lao động"), ("hoàn thành", "công trình giao thông nông thôn"),
)
REQUESTS = (
    "sớm đầu tư nâng cấp tuyến đường liên xã đã xuống cấp",
    "quan tâm hỗ trợ kinh phí xây dựng nhà văn hóa xóm",
    "xem xét giải quyết dứt điểm các vướng mắc trong bồi thường, giải phóng mặt bằng",
    "tăng cường kiểm tra chất lượng nước sinh hoạt",
    "có chính sách hỗ trợ người dân chuyển đổi cơ cấu cây trồng",
    "bố trí đủ giáo viên cho các trường vùng sâu, vùng xa",
    "xử lý nghiêm tình trạng khai thác khoáng sản trái phép",
    "đẩy nhanh tiến độ cấp giấy chứng nhận quyền sử dụng đất",
)
ISSUES = (
    "những khó khăn, vướng mắc trong tổ chức thực hiện",
    "nguyên nhân của những hạn chế, yếu kém",
    "trách nhiệm của các cơ quan chuyên môn",
    "các giải pháp trọng tâm trong thời gian tới",
    "tính khả thi của các chỉ tiêu đề ra",
    "nguồn lực bảo đảm thực hiện nghị quyết",
)
PURPOSES = (
    "đánh giá kết quả đạt được và đề ra nhiệm vụ trọng tâm thời gian tới",
    "nâng cao hiệu quả hoạt động của HĐND các cấp",
    "kịp thời nắm bắt tâm tư, nguyện vọng của cử tri",
    "tháo gỡ khó khăn, vướng mắc cho cơ sở",
    "bảo đảm các nghị quyết được ban hành đúng quy định, sát thực tiễn",
)
TIME_FRAMES = (
    "trong năm qua", "6 tháng đầu năm", "từ đầu nhiệm kỳ đến nay", "trong quý III", "giai đoạn 2021 - 2023",
)
ADVERBS = ("cơ bản", "tích cực", "đồng bộ", "quyết liệt", "kịp thời", "nghiêm túc", "hiệu quả", "chủ động")
CLOSINGS = (
    "Các ý kiến đóng góp sẽ được tổng hợp, báo cáo Thường trực HĐND tỉnh xem xét.",
    "Kết thúc buổi làm việc, đoàn đã thống nhất ban hành thông báo kết luận.",
    "Buổi làm việc diễn ra trong không khí dân chủ, thẳng thắn và trách nhiệm.",
    "Hội nghị kéo dài 1 ngày và hoàn thành toàn bộ chương trình đề ra.",
    "Thường trực HĐND tỉnh sẽ tiếp tục theo dõi, giám sát việc thực hiện các kiến nghị.",
)
SUBHEADS = (
    "Kết quả đạt được", "Những tồn tại, hạn chế", "Nhiệm vụ, giải pháp thời gian tới", "Kiến nghị, đề xuất",
    "Ý kiến của cử tri", "Trả lời của các cơ quan chức năng",
)
STATIC_PAGES = (
    ("chuc-nang-nhiem-vu", "Chức năng, nhiệm vụ"),
    ("co-cau-to-chuc", "Cơ cấu tổ chức"),
    ("thuong-truc-hdnd", "Thường trực HĐND tỉnh"),
    ("cac-ban-hdnd", "Các Ban của HĐND tỉnh"),
    ("dai-bieu-hdnd", "Đại biểu HĐND tỉnh khóa XVII"),
    ("van-phong", "Văn phòng Đoàn ĐBQH và HĐND tỉnh"),
    ("lien-he", "Liên hệ"),
)
EXTERNAL_LINKS = (
    ("http://example.gov.vn/van-ban/nghi-quyet", "Cổng thông tin điện tử tỉnh"),
    ("https://chinhphu.vn/", "Cổng thông tin điện tử Chính phủ"),
    ("https://quochoi.vn/", "Cổng thông tin điện tử Quốc hội"),
    ("https://dangcongsan.vn/", "Báo điện tử Đảng Cộng sản Việt Nam"),
)
