"""Demo catalogue content: real subsidy policies with plausible standards (illustrative figures,
not any province's official rates). Amounts in yuan as strings; shares in percent (中央, 省, 市, 县)."""
from dataclasses import dataclass, field

from .choices import Frequency as F
from .choices import TargetGroup as T
from .choices import Unit as U


@dataclass(frozen=True)
class DemoPolicy:
    key: str  # code suffix
    name: str
    line: str
    target: str
    description: str
    unit: str
    frequency: str
    shares: tuple[int, int, int, int]
    rate: str | None = None
    tiers: tuple[tuple, ...] = ()  # (key, label, yuan[, age_min, age_max])
    tier_basis: str = ""
    basis: tuple[tuple[str, str, str], ...] = ()
    means_tested: bool = False
    confidential: bool = False
    age_min: int | None = None
    age_max: int | None = None
    disburser: str = "township"
    exclusive: tuple[str, ...] = field(default=())
    note: str = ""


SOCIAL_AID = ("国务院令第649号", "社会救助暂行办法", "2014-02-21")

PROVINCE = (
    DemoPolicy("NY-01", "耕地地力保护补贴", "nync", T.FARMER, "拥有耕地承包权的种地农民", U.MU, F.YEARLY, (100, 0, 0, 0),
               rate="105.00", basis=(("财农〔2016〕26号", "关于全面推开农业“三项补贴”改革工作的通知", "2016-04-18"),)),
    DemoPolicy("NY-02", "实际种粮农民一次性补贴", "nync", T.FARMER, "实际承担种粮风险的农民，含流转土地种粮大户",
               U.MU, F.ONE_OFF, (100, 0, 0, 0), rate="12.00",
               basis=(("财农〔2023〕20号", "关于下达实际种粮农民一次性补贴资金的通知", "2023-05-26"),)),
    DemoPolicy("NY-03", "草原生态保护补助奖励", "nync", T.FOREST_GRASS, "承包草原实施禁牧或草畜平衡的牧民", U.MU,
               F.YEARLY, (100, 0, 0, 0), tiers=(("JM", "禁牧补助", "7.50"), ("CX", "草畜平衡奖励", "2.50")),
               tier_basis="管护方式", basis=(("农办计财〔2021〕9号", "第三轮草原生态保护补助奖励政策实施指导意见", "2021-08-20"),)),
    DemoPolicy("NY-04", "基础母牛扩群提质补贴", "nync", T.FARMER, "存栏基础母牛的养殖户", U.HEAD, F.YEARLY,
               (80, 20, 0, 0), rate="1000.00", basis=(("晋农计财发〔2024〕5号", "肉牛肉羊增量提质行动实施方案", "2024-03-15"),)),
    DemoPolicy("MZ-01", "城乡居民最低生活保障", "mz", T.LOW_INCOME, "家庭人均收入低于当地低保标准、财产状况符合规定的城乡居民",
               U.PERSON, F.MONTHLY, (70, 20, 0, 10), tiers=(("A", "A类", "560.00"), ("B", "B类", "420.00"), ("C", "C类", "280.00")),
               tier_basis="保障类别", basis=(SOCIAL_AID,), means_tested=True, exclusive=("MZ-02",),
               note="按家庭人均收入与保障标准的差额分档发放"),
    DemoPolicy("MZ-02", "特困人员救助供养（基本生活费）", "mz", T.LOW_INCOME, "无劳动能力、无生活来源、无法定赡养抚养扶养义务人的老年人、残疾人和未成年人",
               U.PERSON, F.MONTHLY, (70, 20, 0, 10), rate="780.00", means_tested=True, exclusive=("MZ-01",),
               basis=(("国发〔2016〕14号", "国务院关于进一步健全特困人员救助供养制度的意见", "2016-02-10"),)),
    DemoPolicy("MZ-03", "特困人员照料护理补贴", "mz", T.LOW_INCOME, "分散供养的特困人员", U.PERSON, F.MONTHLY,
               (70, 20, 0, 10), tiers=(("ZL", "全自理", "100.00"), ("BHL", "半护理", "350.00"), ("QHL", "全护理", "700.00")),
               tier_basis="生活自理能力", basis=(("国发〔2016〕14号", "国务院关于进一步健全特困人员救助供养制度的意见", "2016-02-10"),)),
    DemoPolicy("MZ-04", "孤儿基本生活费", "mz", T.CHILD, "失去父母、查找不到生父母的未满18周岁未成年人", U.PERSON, F.MONTHLY,
               (50, 50, 0, 0), tiers=(("JG", "机构养育", "1800.00"), ("SS", "社会散居", "1400.00")), tier_basis="养育方式",
               age_max=17, exclusive=("MZ-05",), basis=(("国办发〔2010〕54号", "国务院办公厅关于加强孤儿保障工作的意见", "2010-11-16"),)),
    DemoPolicy("MZ-05", "事实无人抚养儿童基本生活补贴", "mz", T.CHILD, "父母双方均重残、重病、服刑、失联等情形的儿童", U.PERSON,
               F.MONTHLY, (50, 50, 0, 0), rate="1400.00", age_max=17, exclusive=("MZ-04",),
               basis=(("民发〔2019〕62号", "关于进一步加强事实无人抚养儿童保障工作的意见", "2019-06-18"),)),
    DemoPolicy("MZ-06", "临时救助", "mz", T.LOW_INCOME, "因突发事件、意外伤害、重大疾病等导致基本生活暂时出现严重困难的家庭或个人",
               U.HOUSEHOLD, F.ONE_OFF, (60, 20, 0, 20), rate="1500.00", means_tested=True,
               note="按困难程度核定，一般不超过当地低保标准的6倍",
               basis=(("国发〔2014〕47号", "国务院关于全面建立临时救助制度的通知", "2014-10-03"),)),
    DemoPolicy("CL-01", "困难残疾人生活补贴", "cl", T.DISABLED, "低保家庭中的残疾人及其他困难残疾人", U.PERSON, F.MONTHLY,
               (0, 50, 0, 50), tiers=(("1", "一级", "100.00"), ("2", "二级", "100.00"), ("3", "三级", "80.00"), ("4", "四级", "80.00")),
               tier_basis="残疾等级", means_tested=True,
               basis=(("国发〔2015〕52号", "国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见", "2015-09-22"),)),
    DemoPolicy("CL-02", "重度残疾人护理补贴", "cl", T.DISABLED, "残疾等级为一级、二级且需要长期照护的重度残疾人", U.PERSON,
               F.MONTHLY, (0, 50, 0, 50), tiers=(("1", "一级", "100.00"), ("2", "二级", "80.00")), tier_basis="残疾等级",
               basis=(("国发〔2015〕52号", "国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见", "2015-09-22"),)),
    DemoPolicy("WJ-01", "农村部分计划生育家庭奖励扶助", "wj", T.FAMILY_PLANNING, "年满60周岁、只有一个子女或两个女孩的农村计划生育家庭夫妇",
               U.PERSON, F.YEARLY, (80, 20, 0, 0), rate="960.00", age_min=60, disburser="department",
               basis=(("国办发〔2004〕21号", "关于开展对农村部分计划生育家庭实行奖励扶助制度试点工作的意见", "2004-02-26"),)),
    DemoPolicy("WJ-02", "计划生育家庭特别扶助", "wj", T.FAMILY_PLANNING, "独生子女伤残或死亡、未再生育或收养子女的夫妇",
               U.PERSON, F.MONTHLY, (80, 20, 0, 0), tiers=(("SC", "独生子女伤残", "590.00"), ("SW", "独生子女死亡", "720.00")),
               tier_basis="扶助类别", age_min=49, disburser="department",
               basis=(("国人口发〔2007〕78号", "全国独生子女伤残死亡家庭扶助制度试点方案", "2007-08-10"),)),
    DemoPolicy("TY-01", "重点优抚对象抚恤补助", "tyjr", T.VETERAN, "在乡复员军人、带病回乡退伍军人、烈士老年子女等重点优抚对象",
               U.PERSON, F.MONTHLY, (90, 10, 0, 0),
               tiers=(("FY", "在乡复员军人", "1950.00"), ("DB", "带病回乡退伍军人", "1050.00"), ("LZ", "烈士老年子女", "780.00")),
               tier_basis="优抚对象类别", disburser="department",
               basis=(("国务院 中央军委令第788号", "军人抚恤优待条例", "2024-08-05"),)),
    DemoPolicy("TY-02", "部分退役人员生活补助", "tyjr", T.VETERAN, "按规定享受生活补助的部分退役人员（名单不公开）", U.PERSON,
               F.MONTHLY, (90, 10, 0, 0), rate="600.00", confidential=True, disburser="department",
               basis=(("内部文件", "部分退役人员生活补助发放办法", "2023-01-01"),)),
    DemoPolicy("LC-01", "生态公益林补偿", "lc", T.FOREST_GRASS, "国家级和省级公益林的集体和个人权利人", U.MU, F.YEARLY,
               (80, 20, 0, 0), rate="16.00", basis=(("财资环〔2021〕39号", "林业改革发展资金管理办法", "2021-05-20"),)),
    DemoPolicy("LC-02", "退耕还林补助", "lc", T.FOREST_GRASS, "实施新一轮退耕还林的农户", U.MU, F.YEARLY, (100, 0, 0, 0),
               rate="300.00", basis=(("发改西部〔2014〕1772号", "新一轮退耕还林还草总体方案", "2014-08-02"),)),
    DemoPolicy("ZJ-01", "农村危房改造补助", "zj", T.HOUSING, "农村低收入群体等重点对象中住房安全无保障的农户", U.HOUSEHOLD,
               F.ONE_OFF, (70, 20, 0, 10), tiers=(("CJ", "拆除重建", "20000.00"), ("XS", "修缮加固", "10000.00")),
               tier_basis="改造方式", means_tested=True,
               basis=(("建村〔2021〕35号", "关于做好农村低收入群体等重点对象住房安全保障工作的实施意见", "2021-04-15"),)),
    DemoPolicy("RS-01", "城乡居民基础养老金", "rs", T.ELDERLY, "年满60周岁、按规定参加城乡居民养老保险的居民", U.PERSON,
               F.MONTHLY, (80, 10, 0, 10), rate="163.00", age_min=60, disburser="department",
               basis=(("国发〔2014〕8号", "国务院关于建立统一的城乡居民基本养老保险制度的意见", "2014-02-21"),)),
)

PREFECTURE = (
    DemoPolicy("MZ-11", "百岁老人长寿补贴", "mz", T.ELDERLY, "户籍在本市、年满100周岁的老年人", U.PERSON, F.MONTHLY,
               (0, 0, 100, 0), rate="500.00", age_min=100, basis=(("市政发〔2022〕18号", "关于建立百岁老人长寿补贴制度的通知", "2022-06-01"),)),
    DemoPolicy("MZ-12", "困难群众冬季取暖补贴", "mz", T.LOW_INCOME, "城乡低保、特困供养家庭", U.HOUSEHOLD, F.YEARLY,
               (0, 0, 60, 40), rate="300.00", means_tested=True,
               basis=(("市民发〔2023〕40号", "关于发放困难群众冬季取暖补贴的通知", "2023-10-20"),)),
)

COUNTY = (
    DemoPolicy("MZ-21", "高龄津贴", "mz", T.ELDERLY, "户籍在本县、年满80周岁的老年人", U.PERSON, F.MONTHLY, (0, 0, 0, 100),
               tiers=(("80", "80-89周岁", "50.00", 80, 89), ("90", "90-99周岁", "100.00", 90, 99), ("100", "100周岁及以上", "300.00", 100, None)),
               tier_basis="年龄段", age_min=80, basis=(("县政发〔2021〕12号", "关于提高高龄津贴标准的通知", "2021-03-01"),)),
    DemoPolicy("WJ-21", "农村独生子女父母奖励费", "wj", T.FAMILY_PLANNING, "领取独生子女父母光荣证的农村夫妇", U.PERSON, F.YEARLY,
               (0, 0, 0, 100), rate="120.00", disburser="department",
               basis=(("县卫发〔2020〕6号", "农村独生子女父母奖励费发放办法", "2020-04-10"),)),
    DemoPolicy("TY-21", "困难退役军人帮扶援助金", "tyjr", T.VETERAN, "生活困难的退役军人和其他优抚对象", U.PERSON, F.ONE_OFF,
               (0, 0, 0, 100), rate="2000.00", means_tested=True, disburser="department",
               basis=(("县退役发〔2023〕3号", "困难退役军人帮扶援助实施办法", "2023-02-15"),)),
)
