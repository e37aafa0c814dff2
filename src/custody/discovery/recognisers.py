"""Value recognisers: does one cell look like a value of a given kind?

Each recogniser takes a stripped, non-blank cell and answers True or False. They are
cheap and used on a sample of each column (see `profile.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from custody.discovery import checksums
from custody.discovery.dates import parse_date

__all__ = ["RECOGNISERS", "Recogniser"]

Recogniser = Callable[[str], bool]

_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左"
    "柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶"
    "解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬"
    "边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原"
    "栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计"
    "索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕"
    "危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
_COMPOUND = frozenset(
    ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
     "司徒", "夏侯", "轩辕", "令狐", "钟离", "端木", "南宫", "独孤", "西门", "万俟", "闻人",
     "赫连", "澹台", "公冶", "宗政", "濮阳", "太叔", "申屠", "呼延", "第五")
)
_CJK = re.compile(r"[\u4e00-\u9fff]+")
_LATIN_NAME = re.compile(r"[A-Z][a-z]+(?:[ .\-][A-Z][a-z]+){1,3}")
_ORG = re.compile(
    r"(?:公司|集团|企业|工作室|事务所|中心|研究院|研究所|协会|学会|商行|商店|门市|店|厂|"
    r"银行|医院|诊所|合作社|基金会|委员会|局|厅|部|所|社|馆|院|Ltd\.?|Inc\.?|Co\.?|LLC|"
    r"Corp\.?|Company|Limited|GmbH)$",
    re.IGNORECASE,
)
_SCHOOL = re.compile(
    r"(?:学校|小学|中学|初中|高中|一中|二中|三中|附中|附小|大学|学院|幼儿园|职高|中专|技校|"
    r"School|College|University|Academy|Kindergarten)$",
    re.IGNORECASE,
)
_GRADE = re.compile(
    r"(?:[一二三四五六七八九]年级|初[一二三]|高[一二三]|大[一二三四]|小班|中班|大班|托班|学前班|"
    r"研[一二三]|[1-9]年级|(?:Grade|Year)\s*\d{1,2}|G\d{1,2}|K\d?)"
    r"(?:\s*[（(]?\s*[0-9一二三四五六七八九十]+\s*[)）]?\s*班)?",
    re.IGNORECASE,
)
_ADDRESS_MARK = re.compile(r"省|市|区|县|镇|乡|村|路|街|道|巷|弄|号|栋|幢|座|楼|室|单元|小区|大厦")
_GENDER = frozenset(
    ("男", "女", "男性", "女性", "先生", "女士", "未知", "m", "f", "male", "female", "man",
     "woman", "男生", "女生", "boy", "girl")
)
_LEVEL = re.compile(
    r"(?:普通|白银|黄金|铂金|钻石|金|银|铜|白金|黑金|vip|VIP|svip|SVIP|plus|PLUS|[一二三四五1-9]星)"
    r"(?:会员|卡|级|用户)?|(?:LV|Lv|lv|V)\d{1,2}|[A-D]级|普通会员|非会员"
)
_AMOUNT = re.compile(r"[¥￥$]?\s*-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?\s*(?:元|RMB|CNY)?")
_DECIMAL = re.compile(r"[¥￥$]?\s*-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{1,2}\s*(?:元|RMB|CNY)?")
_INTEGER = re.compile(r"\d{1,12}")
_ID_SHAPE = re.compile(r"\d{17}[\dXx]")
_CODE = re.compile(r"(?=.*\d)[A-Za-z0-9][A-Za-z0-9\-_/#]{3,}")
_WECHAT = re.compile(r"(?:wxid_[a-z0-9]{6,20}|[A-Za-z][A-Za-z0-9_\-]{5,19})")
_WECHAT_MARKED = re.compile(r"(?:wxid_[A-Za-z0-9]{4,}|(?:微信|wechat|wx|qq|QQ)[:：]?\s*\S{5,})",
                            re.IGNORECASE)
_QQ = re.compile(r"(?:QQ|qq)?[:：]?[1-9]\d{4,10}")
_JOB = re.compile(
    r"(?:师|员|经理|主管|总监|专员|助理|顾问|主任|工程师|技术员|长|工|总裁|总经理|秘书|会计|"
    r"出纳|司机|教师|老师|医生|护士|律师|设计|开发|管理|销售|文员|客服|店长|主编|编辑|"
    r"Manager|Engineer|Director|Officer|Assistant|Designer|Developer|Analyst|Consultant|"
    r"Clerk|Teacher|Accountant|Sales|CEO|CTO|CFO)$",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[，。！？；、,.!?;：:]")


def person_name(value: str) -> bool:
    """两到四个汉字、以常见姓氏开头，或拉丁字母的 "Given Family" 形式。"""
    if 2 <= len(value) <= 4 and _CJK.fullmatch(value):
        return value[0] in _SURNAMES or value[:2] in _COMPOUND
    if 5 <= len(value) <= 5 and _CJK.fullmatch(value):
        return value[:2] in _COMPOUND
    return len(value) <= 40 and _LATIN_NAME.fullmatch(value) is not None


def org_name(value: str) -> bool:
    """A company or institution name (ends with an organisation suffix)."""
    return 4 <= len(value) <= 60 and _ORG.search(value) is not None and not school(value)


def school(value: str) -> bool:
    """A school name."""
    return 3 <= len(value) <= 40 and _SCHOOL.search(value) is not None


def grade(value: str) -> bool:
    """A grade or class: 三年级, 初二, 高一(3)班, Grade 5."""
    return len(value) <= 16 and _GRADE.fullmatch(value) is not None


def address(value: str) -> bool:
    """A postal address: Chinese text with at least two place markers."""
    if len(value) < 6 or len(value) > 120 or _CJK.search(value) is None:
        return False
    return len(_ADDRESS_MARK.findall(value)) >= 2


def gender(value: str) -> bool:
    """男/女/先生/女士/M/F/male/female..."""
    return value.lower() in _GENDER


def level(value: str) -> bool:
    """A membership level (金卡, VIP, LV3): not personal information."""
    return len(value) <= 8 and _LEVEL.fullmatch(value) is not None


def amount(value: str) -> bool:
    """A money amount: 1234.50, ¥1,234, 800元."""
    return _AMOUNT.fullmatch(value) is not None


def decimal_amount(value: str) -> bool:
    """A money amount with cents."""
    return _DECIMAL.fullmatch(value) is not None


def integer(value: str) -> bool:
    """A plain non-negative integer of at most 12 digits."""
    return _INTEGER.fullmatch(value) is not None


def id_shape(value: str) -> bool:
    """Eighteen characters shaped like a resident ID, whatever its check digit."""
    return _ID_SHAPE.fullmatch(value) is not None


def code(value: str) -> bool:
    """An identifier-like code (order, tracking, pickup, member numbers)."""
    return _CODE.fullmatch(value) is not None


def im_id(value: str) -> bool:
    """A WeChat id or a QQ number (only meaningful under a WeChat/QQ header)."""
    return _WECHAT.fullmatch(value) is not None or _QQ.fullmatch(value) is not None


def wechat(value: str) -> bool:
    """An unmistakable WeChat/QQ id: wxid_..., or prefixed with 微信/WeChat/QQ."""
    return _WECHAT_MARKED.match(value) is not None


def job_title(value: str) -> bool:
    """A job title (ends like 经理, 工程师, 专员, Manager)."""
    first = value.split("/")[0]
    return len(value) <= 30 and (_JOB.search(value) is not None or _JOB.search(first) is not None)


def sentence(value: str) -> bool:
    """Free text: punctuation inside, or a long run of characters."""
    return len(value) >= 12 or _SENTENCE.search(value) is not None


def date(value: str) -> bool:
    """A calendar date in a common spelling."""
    return parse_date(value) is not None


def mobile(value: str) -> bool:
    """A mainland mobile number in any common format."""
    return checksums.normalize_mobile(value) is not None


def landline(value: str) -> bool:
    """A fixed-line number with an area code."""
    return checksums.landline_normalize(value) is not None


def email(value: str) -> bool:
    """An e-mail address."""
    return checksums.normalize_email(value) is not None


def passport(value: str) -> bool:
    """A Chinese passport or travel-permit number (letter-prefixed forms only)."""
    return not value[:1].isdigit() and checksums.passport_valid(value)


RECOGNISERS: dict[str, Recogniser] = {
    "resident_id": checksums.resident_id_valid,
    "id_shape": id_shape,
    "mobile": mobile,
    "landline": landline,
    "email": email,
    "bank_card": checksums.bank_card_valid,
    "uscc": checksums.uscc_valid,
    "passport": passport,
    "date": date,
    "amount": amount,
    "decimal": decimal_amount,
    "integer": integer,
    "gender": gender,
    "name": person_name,
    "org": org_name,
    "school": school,
    "grade": grade,
    "address": address,
    "level": level,
    "code": code,
    "im": im_id,
    "wechat": wechat,
    "job": job_title,
    "sentence": sentence,
}
