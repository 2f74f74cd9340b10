"""The built-in rules (DESIGN §5), as data. Each rule's SQL reads only the views of sqlviews.py
and returns at least item_id, batch_id and id_bidx; `key` names the columns that identify one
finding (its fingerprint), `message` is formatted with the row's columns. Raise `version` when
the SQL or the meaning changes: ensure_rules() then updates the stored rule."""
from dataclasses import dataclass, field

INACTIVE = "('unactivated', 'frozen', 'lost', 'closed')"
HEAD = "户主"  # registry Person.relation of the household head


@dataclass(frozen=True)
class RuleDef:
    code: str
    name: str
    severity: str
    description: str
    datasets: tuple[str, ...]
    sql: str
    key: tuple[str, ...]
    message: str
    params: dict = field(default_factory=dict)
    version: int = 1


BUILTIN: list[RuleDef] = [
    RuleDef(
        "DUP_PAYMENT", "重复发放", "block",
        "同一对象同一政策同一期间出现在两条有效明细中（同批次、跨批次或跨乡镇，含草稿、审核中、在途和已发放的批次）。"
        "补发明细与其原始明细（沿补发链追溯）之间不算重复；已占用发放资格（财政审核通过后登记）的明细不报，"
        "只报与之重复的另一方。",
        ("items", "claims"),
        """SELECT s.item_id, s.batch_id, s.id_bidx, s.name, s.policy_name, s.period,
                  o.item_id AS other_item_id, o.batch_code AS other_batch, o.seq AS other_seq
           FROM v_scope s
           JOIN v_items o ON o.id_bidx = s.id_bidx AND o.policy_code = s.policy_code AND o.period = s.period
                         AND o.item_id <> s.item_id
           LEFT JOIN v_reissues rs ON rs.item_id = s.item_id
           LEFT JOIN v_reissues ro ON ro.item_id = o.item_id
           WHERE COALESCE(rs.origin_id, s.item_id) <> COALESCE(ro.origin_id, o.item_id)
             AND NOT EXISTS (SELECT 1 FROM v_claims c WHERE c.origin_id = COALESCE(rs.origin_id, s.item_id))""",
        ("item_id", "other_item_id"),
        "{name} 在{period}“{policy_name}”重复发放（另见批次 {other_batch} 第{other_seq}条）",
        version=2,
    ),
    RuleDef(
        "SHARED_ACCOUNT", "一卡多人", "warn",
        "同一期间同一银行账户为不属于同一户的多个对象领取补贴（户以底册户籍或清册户号判断）。",
        ("items", "persons"),
        """SELECT s.item_id, s.batch_id, s.id_bidx, s.name, s.period, o.id_bidx AS other_id_bidx,
                  o.name AS other_name, o.batch_code AS other_batch, o.seq AS other_seq
           FROM v_scope s
           JOIN v_items o ON o.account_bidx = s.account_bidx AND o.period = s.period AND o.id_bidx <> s.id_bidx
           LEFT JOIN v_persons ps ON ps.id_bidx = s.id_bidx
           LEFT JOIN v_persons po ON po.id_bidx = o.id_bidx
           WHERE s.account_bidx <> ''
             AND (ps.household_id IS NULL OR po.household_id IS NULL OR ps.household_id <> po.household_id)
             AND (s.household_no = '' OR s.household_no <> o.household_no
                  OR s.village_id IS NULL OR o.village_id IS NULL OR s.village_id <> o.village_id)""",
        ("item_id", "other_id_bidx"),
        "{name} 的收款账户同时为非同户的 {other_name} 领取{period}补贴（批次 {other_batch} 第{other_seq}条）",
    ),
    RuleDef(
        "DECEASED", "已死亡人员领取", "block",
        "对象在发放期间开始前已死亡：底册登记为死亡，或共享的死亡人员数据中有记录。",
        ("items", "persons", "reference:deaths"),
        """SELECT s.item_id, s.batch_id, s.id_bidx, s.name, s.period, 'register' AS source, p.status_since AS death_date
           FROM v_scope s JOIN v_persons p ON p.id_bidx = s.id_bidx
           WHERE p.status = 'deceased' AND (p.status_since IS NULL OR p.status_since < s.period_start)
           UNION ALL
           SELECT s.item_id, s.batch_id, s.id_bidx, s.name, s.period, 'reference' AS source, r.event_date AS death_date
           FROM v_scope s JOIN v_reference r ON r.id_bidx = s.id_bidx AND r.dataset = 'deaths'
           WHERE r.event_date IS NULL OR r.event_date < s.period_start""",
        ("item_id", "source"),
        "{name} 已于 {death_date} 死亡（{source_label}），不应领取{period}补贴",
    ),
    RuleDef(
        "DECEASED_IN_PERIOD", "发放期间内死亡", "warn",
        "对象在发放期间内（期间开始之日至期间结束前）死亡：底册登记为死亡，或共享的死亡人员数据中有记录。"
        "期间开始前死亡的由“已死亡人员领取”阻断。",
        ("items", "persons", "reference:deaths"),
        """SELECT s.item_id, s.batch_id, s.id_bidx, s.name, s.period, 'register' AS source, p.status_since AS death_date
           FROM v_scope s JOIN v_persons p ON p.id_bidx = s.id_bidx
           JOIN v_periods sp ON sp.period = s.period
           WHERE p.status = 'deceased' AND p.status_since >= s.period_start AND p.status_since < sp.period_end
           UNION ALL
           SELECT s.item_id, s.batch_id, s.id_bidx, s.name, s.period, 'reference' AS source, r.event_date AS death_date
           FROM v_scope s JOIN v_reference r ON r.id_bidx = s.id_bidx AND r.dataset = 'deaths'
           JOIN v_periods sp ON sp.period = s.period
           WHERE r.event_date >= s.period_start AND r.event_date < sp.period_end""",
        ("item_id", "source"),
        "{name} 已于 {death_date} 死亡（{source_label}），在{period}发放期间内，请核实应发金额",
    ),
    RuleDef(
        "AMOUNT_STANDARD", "金额与标准不符", "block",
        "发放金额不等于补贴标准×数量，或高于政策标准×数量（超出容差 tolerance_fen，以分计）。",
        ("items",),
        """SELECT s.item_id, s.batch_id, s.id_bidx, s.name, s.amount_fen, s.standard_fen, s.rate_fen, s.quantity
           FROM v_scope s
           WHERE (s.standard_fen IS NOT NULL AND ABS(s.amount_fen - s.standard_fen * s.quantity) > %(tolerance_fen)s)
              OR (s.rate_fen IS NOT NULL AND s.amount_fen > s.rate_fen * s.quantity + %(tolerance_fen)s)""",
        ("item_id",),
        "{name} 发放金额 {amount_yuan} 元与标准不符（清册标准 {standard_yuan} 元，政策标准 {rate_yuan} 元，数量 {quantity}）",
        params={"tolerance_fen": 0},
        version=2,
    ),
    RuleDef(
        "AGE_LIMIT", "年龄不符合政策", "warn",
        "按底册出生日期（底册中没有的对象按身份证号码中的出生日期），对象在发放期间开始时的年龄低于政策最低年龄或高于最高年龄。",
        ("items", "persons"),
        """SELECT s.item_id, s.batch_id, s.id_bidx, s.name, COALESCE(p.birth_date, s.id_birth_date) AS birth_date,
                  s.age_min, s.age_max
           FROM v_scope s LEFT JOIN v_persons p ON p.id_bidx = s.id_bidx
           WHERE COALESCE(p.birth_date, s.id_birth_date) > s.latest_birth
              OR COALESCE(p.birth_date, s.id_birth_date) <= s.earliest_birth""",
        ("item_id",),
        "{name} 出生于 {birth_date}，年龄不在政策规定的范围内（{age_min}～{age_max} 岁）",
        version=2,
    ),
    RuleDef(
        "ACCOUNT_INACTIVE", "账户未激活或冻结", "warn",
        "收款账户在底册中为未激活、冻结、挂失或已销户状态，或人社部门社保卡状态数据（现行批次）中该金融账号"
        "为未激活、挂失、冻结或注销。",
        ("items", "accounts", "reference:ssc_status"),
        f"""SELECT s.item_id, s.batch_id, s.id_bidx, s.name, a.account_id, a.status AS account_status,
                  'register' AS status_source
           FROM v_scope s JOIN v_accounts a ON a.account_bidx = s.account_bidx
           WHERE s.account_bidx <> '' AND a.is_current = %(true)s AND a.status IN {INACTIVE}
           UNION ALL
           SELECT s.item_id, s.batch_id, s.id_bidx, s.name, NULL AS account_id, r.status AS account_status,
                  'reference' AS status_source
           FROM v_scope s JOIN v_reference r ON r.account_bidx = s.account_bidx AND r.dataset = 'ssc_status'
           WHERE s.account_bidx <> '' AND r.status IN {INACTIVE}""",
        ("item_id", "account_id"),
        "{name} 的收款账户状态为“{account_status_label}”（{status_source_label}），无法正常入账",
        version=2,
    ),
    RuleDef(
        "STATE_PAID", "财政供养人员领取", "warn",
        "财政供养人员领取须经济状况核查的补贴。",
        ("items", "reference:state_paid"),
        """SELECT s.item_id, s.batch_id, s.id_bidx, s.name, s.policy_name, r.record_id, r.source_agency
           FROM v_scope s JOIN v_reference r ON r.id_bidx = s.id_bidx AND r.dataset = 'state_paid'
           WHERE s.means_tested = %(true)s""",
        ("item_id", "record_id"),
        "{name} 为财政供养人员（{source_agency}），领取“{policy_name}”须核实",
    ),
    RuleDef(
        "CADRE", "村干部及亲属领取", "warn",
        "村干部或其亲属领取须经济状况核查的补贴。",
        ("items", "reference:cadres"),
        """SELECT s.item_id, s.batch_id, s.id_bidx, s.name, s.policy_name, r.record_id, r.source_agency,
                  r.related_id_bidx
           FROM v_scope s JOIN v_reference r ON r.id_bidx = s.id_bidx AND r.dataset = 'cadres'
           WHERE s.means_tested = %(true)s""",
        ("item_id", "record_id"),
        "{name} 为村干部或其亲属，领取“{policy_name}”须核实",
    ),
    RuleDef(
        "ASSETS", "有车辆、房产或经营主体", "warn",
        "名下有车辆、不动产或工商登记的对象领取须经济状况核查的补贴。",
        ("items", "reference:vehicles", "reference:real_estate", "reference:business"),
        """SELECT s.item_id, s.batch_id, s.id_bidx, s.name, s.policy_name, r.record_id, r.dataset
           FROM v_scope s JOIN v_reference r ON r.id_bidx = s.id_bidx
                                             AND r.dataset IN ('vehicles', 'real_estate', 'business')
           WHERE s.means_tested = %(true)s""",
        ("item_id", "record_id"),
        "{name} 名下有{dataset_label}，领取“{policy_name}”须核实",
    ),
    RuleDef(
        "ID_INVALID", "证件号码无效", "block",
        "身份证号码（单位为统一社会信用代码）位数、出生日期或校验位不正确。号码加密存储，校验在明细写入时完成，"
        "本规则读取其结果；导入时已拒收的无效号码不会进入清册，本规则发现经其他途径进入的明细。",
        ("items",),
        """SELECT s.item_id, s.batch_id, s.id_bidx, s.name, s.is_org
           FROM v_scope s WHERE s.id_valid <> %(true)s""",
        ("item_id",),
        "{name} 的证件号码（身份证号码或统一社会信用代码）校验不通过",
    ),
    RuleDef(
        "CARD_INVALID", "银行卡号无效", "block",
        "个人收款账户应为16至19位、通过Luhn校验的银行卡（社保卡）号；单位账户不做Luhn校验，应为8至32位数字。",
        ("items",),
        """SELECT s.item_id, s.batch_id, s.id_bidx, s.name, s.is_org
           FROM v_scope s WHERE s.account_valid <> %(true)s""",
        ("item_id",),
        "{name} 的银行账号位数或校验位不正确，银行无法入账",
    ),
    RuleDef(
        "HOLDER_MISMATCH", "户名与领取对象不符", "warn",
        "清册户名与对象姓名不一致，或底册中该账户属于他人；按户发放的政策允许发到户主的账户。",
        ("items", "persons", "accounts"),
        f"""SELECT s.item_id, s.batch_id, s.id_bidx, s.name, 'holder' AS mismatch, s.account_holder AS owner_name
           FROM v_scope s LEFT JOIN v_persons ps ON ps.id_bidx = s.id_bidx
           WHERE s.account_holder <> '' AND s.account_holder <> s.name
             AND NOT (s.unit = 'household' AND EXISTS (
                 SELECT 1 FROM v_persons h WHERE h.household_id = ps.household_id AND h.relation = '{HEAD}'
                                             AND h.name = s.account_holder))
           UNION ALL
           SELECT s.item_id, s.batch_id, s.id_bidx, s.name, 'owner' AS mismatch, po.name AS owner_name
           FROM v_scope s
           JOIN v_accounts a ON a.account_bidx = s.account_bidx AND a.is_current = %(true)s
           JOIN v_persons po ON po.person_id = a.person_id
           LEFT JOIN v_persons ps ON ps.id_bidx = s.id_bidx
           WHERE s.account_bidx <> '' AND po.id_bidx <> s.id_bidx
             AND (s.unit <> 'household' OR po.relation <> '{HEAD}' OR po.household_id IS NULL
                  OR ps.household_id IS NULL OR po.household_id <> ps.household_id)""",
        ("item_id", "mismatch"),
        "{name} 的收款账户户名为“{owner_name}”（{mismatch_label}）",
    ),
    RuleDef(
        "EXCLUSIVE_POLICY", "同期享受互斥政策", "block",
        "同一对象在重叠的发放期间同时领取互斥的政策（政策清单中的“互斥政策代码”）。",
        ("items", "policies"),
        """SELECT s.item_id, s.batch_id, s.id_bidx, s.name, s.period, s.policy_name, o.policy_name AS other_policy,
                  o.item_id AS other_item_id, o.batch_code AS other_batch, o.seq AS other_seq, o.period AS other_period
           FROM v_scope s
           JOIN v_exclusive x ON x.policy_code = s.policy_code
           JOIN v_items o ON o.id_bidx = s.id_bidx AND o.policy_code = x.other_code
           JOIN v_periods sp ON sp.period = s.period
           JOIN v_periods op ON op.period = o.period
           WHERE op.period_start < sp.period_end AND sp.period_start < op.period_end""",
        ("item_id", "other_item_id"),
        "{name} 领取{period}“{policy_name}”的同时领取互斥的“{other_policy}”（{other_period}，批次 {other_batch} "
        "第{other_seq}条）",
    ),
    RuleDef(
        "NOT_RESIDENT", "不在本乡镇登记", "warn",
        "须在本区划户籍/居住的政策，对象不在底册中，或底册登记的村（社区）不属于发放批次的乡镇。单位不检查。",
        ("items", "persons"),
        """SELECT s.item_id, s.batch_id, s.id_bidx, s.name, p.village_id AS register_village,
                  CASE WHEN p.person_id IS NULL THEN 'unregistered' ELSE 'elsewhere' END AS residence
           FROM v_scope s LEFT JOIN v_persons p ON p.id_bidx = s.id_bidx
           WHERE s.residence_required = %(true)s AND s.is_org <> %(true)s
             AND (p.person_id IS NULL
                  OR SUBSTR(p.village_id, 1, LENGTH(s.township_prefix)) <> s.township_prefix)""",
        ("item_id",),
        "{name} 不在本乡镇登记：{residence_label}",
    ),
    RuleDef(
        "SHARED_PHONE", "一个电话多人领取", "warn",
        "同一联系电话登记在超过 max_per_phone 名不同对象的明细中（全部有效明细，不分期间）。",
        ("items",),
        """SELECT s.item_id, s.batch_id, s.id_bidx, s.name, c.beneficiaries
           FROM v_scope s
           JOIN (SELECT o.phone_bidx, COUNT(DISTINCT o.id_bidx) AS beneficiaries
                 FROM v_items o
                 WHERE o.phone_bidx IN (SELECT phone_bidx FROM v_scope WHERE phone_bidx <> '')
                 GROUP BY o.phone_bidx) c ON c.phone_bidx = s.phone_bidx
           WHERE c.beneficiaries > %(max_per_phone)s""",
        ("item_id",),
        "{name} 的联系电话同时登记为 {beneficiaries} 名对象的电话",
        params={"max_per_phone": 3},
    ),
    RuleDef(
        "AMOUNT_JUMP", "金额较上期骤增", "warn",
        "同一对象同一政策的发放金额比上一期增长超过 max_increase_pct%。上一期：按月发放为上个月，按季为上一季度，"
        "按年为上一年（期间格式 2026-11、2026Q4、2026）。",
        ("items",),
        """SELECT s.item_id, s.batch_id, s.id_bidx, s.name, s.period, s.amount_fen, o.period AS prev_period,
                  o.amount_fen AS prev_amount_fen, o.item_id AS prev_item_id
           FROM v_scope s
           JOIN v_periods sp ON sp.period = s.period
           JOIN v_periods op ON op.period_kind = sp.period_kind AND op.period_start = sp.prev_start
           JOIN v_items o ON o.id_bidx = s.id_bidx AND o.policy_code = s.policy_code AND o.period = op.period
           WHERE o.amount_fen > 0 AND (s.amount_fen - o.amount_fen) * 100 > %(max_increase_pct)s * o.amount_fen""",
        ("item_id", "prev_item_id"),
        "{name} {period}发放 {amount_yuan} 元，较上期（{prev_period}）{prev_amount_yuan} 元增长过多",
        params={"max_increase_pct": 50},
        version=2,
    ),
]

BY_CODE = {r.code: r for r in BUILTIN}
