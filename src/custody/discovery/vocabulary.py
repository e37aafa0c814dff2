"""Header vocabulary: Chinese and English header spellings mapped to labels.

Some keywords map to a family that the values settle ("name.*": a person or an
organisation; "phone.*": mobile or landline; "org.*": employer or customer
organisation; "id.*": resident ID or passport; "card.*": bank card or account).
Type words (手机, 日期) outrank role words (家长, 客户): "家长手机" is a mobile column.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["HeaderHint", "header_hint", "normalise_header"]

_TYPE, _ROLE = 2, 1

_KEYWORDS: dict[str, tuple[str, ...]] = {
    "name.*": (
        "姓名", "名字", "称呼", "户名", "客户名称", "name", "fullname", "姓名拼音",
    ),
    "person.name@role": (
        "学员", "学生", "客户", "联系人", "收件人", "收货人", "寄件人", "对接人", "负责人",
        "家长", "监护人", "顾客", "患者", "会员姓名", "孩子", "宝宝", "业主", "租客", "买家",
        "contact", "customer", "client", "student", "parent", "guardian", "recipient",
        "consignee", "member", "owner", "person",
    ),
    "person.gender": ("性别", "gender", "sex", "男女"),
    "person.birth_date": (
        "出生日期", "出生", "生日", "出生年月", "出生年月日", "dob", "birth", "birthday",
        "dateofbirth", "birthdate", "生辰",
    ),
    "phone.*": (
        "电话", "联系电话", "联系方式", "电话号码", "tel", "phone", "telephone", "contactno",
        "phoneno", "联系号码",
    ),
    "contact.mobile": (
        "手机", "手机号", "手机号码", "移动电话", "mobile", "cell", "cellphone", "mobileno",
        "mobilephone", "短信",
    ),
    "contact.landline": (
        "固话", "固定电话", "座机", "办公电话", "单位电话", "家庭电话", "landline", "fixedline",
        "officephone", "homephone", "传真", "fax",
    ),
    "contact.email": (
        "邮箱", "电子邮件", "电子邮箱", "邮件", "email", "mail", "e-mail", "emailaddress",
        "mailaddress",
    ),
    "contact.address": (
        "地址", "住址", "住所", "家庭住址", "收货地址", "通讯地址", "居住地", "户籍", "所在地",
        "详细地址", "送货地址", "邮寄地址", "address", "addr", "street", "residence",
    ),
    "contact.im": ("微信", "微信号", "wechat", "weixin", "wx", "qq", "qq号", "钉钉", "im"),
    "id.*": (
        "身份证", "身份证号", "身份证号码", "证件号", "证件号码", "证件", "公民身份号码",
        "身份号码", "idno", "idnumber", "idcard", "nationalid", "identity", "identification",
        "residentid", "证号",
    ),
    "identity.passport": (
        "护照", "护照号", "通行证", "港澳通行证", "台胞证", "回乡证", "passport",
        "travelpermit", "permit",
    ),
    "card.*": (
        "银行卡", "卡号", "银行卡号", "退款卡号", "银行账号", "账号", "账户", "开户账号",
        "收款账号", "cardno", "cardnumber", "bankcard", "bankaccount", "account", "iban",
    ),
    "education.school": (
        "学校", "就读学校", "毕业院校", "院校", "毕业学校", "school", "college", "university",
        "幼儿园",
    ),
    "education.grade": ("年级", "班级", "年级班级", "grade", "class", "yeargroup", "班"),
    "org.*": ("公司", "单位", "企业", "机构", "company", "organisation", "organization", "firm"),
    "employment.employer": (
        "工作单位", "所在单位", "所在公司", "任职单位", "就职单位", "就职公司", "任职公司",
        "employer", "workplace", "workunit", "服务单位",
    ),
    "org.name": (
        "客户单位", "客户公司", "客户企业", "企业名称", "甲方", "签约单位", "合作单位",
        "供应商", "公司名称", "单位名称", "companyname", "clientcompany",
        "机构名称",
    ),
    "employment.title": (
        "职务", "职位", "岗位", "职称", "头衔", "职业", "工种", "title", "jobtitle", "position",
        "job", "occupation", "role", "designation",
    ),
    "org.uscc": (
        "统一社会信用代码", "信用代码", "社会信用代码", "uscc", "税号", "纳税人识别号",
        "creditcode", "taxid", "营业执照",
    ),
    "transaction.item": (
        "课程", "报读课程", "项目", "项目名称", "服务", "服务项目", "商品", "产品", "套餐",
        "班型", "品名", "购买", "科目", "业务", "item", "course", "product", "service",
        "package", "plan", "program", "programme", "subject", "sku",
    ),
    "transaction.amount": (
        "金额", "实付", "实收", "已缴", "缴费", "费用", "学费", "价格", "单价", "总价", "应付",
        "欠款", "余额", "收费", "充值", "付款金额", "消费金额", "合同额", "报价", "元",
        "amount", "fee", "fees", "price", "paid", "total", "payment", "cost", "revenue",
        "balance", "spend", "tuition",
    ),
    "transaction.date": (
        "日期", "时间", "报名", "签约", "下单", "首次", "最近", "上次", "到期", "入学", "入会",
        "注册", "来访", "到店", "付款日期", "上课", "开课", "结课", "续费", "登记",
        "date", "time", "last", "first", "visit", "since", "joined", "created", "updated",
        "enrol", "enroll", "signed", "expiry", "expires", "when",
    ),
    "note.free_text": (
        "备注", "说明", "跟进", "跟进记录", "记录", "情况", "沟通", "反馈", "评价", "描述",
        "留言", "附言", "notes", "note", "remark", "remarks", "comment", "comments", "memo",
        "description", "followup", "feedback",
    ),
    "other": (
        "单号", "订单号", "运单号", "快递单号", "取件码", "编号", "会员编号", "序号", "会员等级",
        "等级", "积分", "数量", "件数", "包裹数", "包裹", "次数", "状态", "会员卡号", "会员卡",
        "流水号", "工号", "学号", "货号", "批次", "邮编", "code", "order", "tracking", "level",
        "status", "qty", "quantity", "count", "points", "serial", "no", "number", "seq",
        "memberno", "memberid", "postcode", "zipcode", "zip", "waybill", "sn", "tier",
    ),
}

_ROLE_LABELS = frozenset({"person.name@role"})
_EXACT_ONLY = frozenset({"no", "number", "sn", "im", "wx", "班", "元", "when", "first", "last"})
_STRIP = re.compile(r"[\s_\-.:：()（）\[\]【】*#/\\|'\"·,，。、?？!！<>《》]+")
_UNITS = re.compile(r"[(（][^()（）]{0,8}[)）]")


class HeaderHint(tuple[str, int, int]):
    """(label or family, priority, keyword length); the best keyword found in a header."""

    __slots__ = ()

    @property
    def label(self) -> str:
        """The label or family ("name.*") the header points to."""
        return self[0]


def normalise_header(header: str) -> str:
    """NFKC, lower case, units in brackets removed, separators dropped."""
    text = unicodedata.normalize("NFKC", header).lower()
    text = _UNITS.sub("", text) or text
    return _STRIP.sub("", text)


def _entries() -> list[tuple[str, str, int]]:
    out: list[tuple[str, str, int]] = []
    for label, words in _KEYWORDS.items():
        priority = _ROLE if label in _ROLE_LABELS else _TYPE
        target = "name.*" if label in _ROLE_LABELS else label
        for word in words:
            out.append((normalise_header(word), target, priority))
    return out


_ENTRIES = _entries()


@lru_cache(maxsize=4096)
def header_hint(header: str) -> HeaderHint | None:
    """The label a header names, or None when no keyword matches (or it is blank)."""
    text = normalise_header(header)
    if not text:
        return None
    best: HeaderHint | None = None
    for word, label, priority in _ENTRIES:
        if word in _EXACT_ONLY and text != word:
            continue
        if word in text:
            priority += 2 if word == text else 0
            hint = HeaderHint((label, priority, len(word)))
            if best is None or hint[1:] > best[1:]:
                best = hint
    return best
