"""The roster columns of specs/roster-template.md (header names and aliases)."""
from yikatong.core.sheets import Column

NO = "序号"
NAME = "姓名"
ID = "身份证号码"
HOUSEHOLD = "户号"
RELATION = "与户主关系"
VILLAGE = "村(社区)"
PHONE = "联系电话"
BANK = "开户银行"
ACCOUNT = "银行账号"
HOLDER = "账户户名"
QUANTITY = "补贴数量"
STANDARD = "补贴标准(元)"
AMOUNT = "发放金额(元)"
MEMO = "备注"

COLUMNS = [
    Column(NO, (), kind="compact", data=False),
    Column(NAME, ("户主姓名", "补贴对象姓名", "名称"), required=True, kind="compact"),
    Column(ID, ("身份证号", "公民身份号码", "证件号码", "统一社会信用代码"), required=True, kind="identifier"),
    Column(HOUSEHOLD, (), kind="compact"),
    Column(RELATION, (), kind="compact"),
    Column(VILLAGE, ("所属村", "村组", "行政村", "村名"), required=True, kind="compact"),
    Column(PHONE, ("手机号码", "电话"), kind="identifier"),
    Column(BANK, ("代发银行", "银行名称"), kind="text"),
    Column(ACCOUNT, ("社保卡号", "社会保障卡金融账号", "卡号", "账号"), required=True, kind="identifier"),
    Column(HOLDER, ("户名",), kind="compact"),
    Column(QUANTITY, ("面积(亩)", "计补面积", "人数", "头数", "数量"), kind="number"),
    Column(STANDARD, ("补贴标准", "标准"), kind="number"),
    Column(AMOUNT, ("发放金额", "补贴金额", "金额"), required=True, kind="number"),
    Column(MEMO, (), kind="text"),
]

TEMPLATE_HEADERS = [c.name for c in COLUMNS]
