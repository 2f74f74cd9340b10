"""The built-in rules (DESIGN §5), as data. Each rule's SQL reads only the views of sqlviews.py
and returns at least item_id, batch_id and id_bidx; `key` names the columns that identify one
finding (its fingerprint), `message` is formatted with the row's columns. Raise `version` when
the SQL or the meaning changes: ensure_rules() then updates the stored rule."""
from dataclasses import dataclass, field

INACTIVE = "('unactivated', 'frozen', 'lost', 'closed')"


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
        "同一对象同一政策同一期间出现在两条有效明细中（同批次、跨批次或跨乡镇）；补发批次与其原批次之间不算重复。",
        ("items",),
        """SELECT s.item_id, s.batch_id, s.id_bidx, s.name, s.policy_name, s.period,
                  o.item_id AS other_item_id, o.batch_code AS other_batch, o.seq AS other_seq
           FROM v_scope s
           JOIN v_items o ON o.id_bidx = s.id_bidx AND o.policy_code = s.policy_code AND o.period = s.period
                         AND o.item_id <> s.item_id
           WHERE (s.parent_id IS NULL OR s.parent_id <> o.batch_id)
             AND (o.parent_id IS NULL OR o.parent_id <> s.batch_id)""",
        ("item_id", "other_item_id"),
        "{name} 在{period}“{policy_name}”重复发放（另见批次 {other_batch} 第{other_seq}条）",
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
        "AMOUNT_STANDARD", "金额与标准不符", "block",
        "发放金额不等于补贴标准×数量，或高于政策标准×数量（超出容差 tolerance_fen 分）。",
        ("items",),
        """SELECT s.item_id, s.batch_id, s.id_bidx, s.name, s.amount_fen, s.standard_fen, s.rate_fen, s.quantity
           FROM v_scope s
           WHERE (s.standard_fen IS NOT NULL AND ABS(s.amount_fen - s.standard_fen * s.quantity) > %(tolerance_fen)s)
              OR (s.rate_fen IS NOT NULL AND s.amount_fen > s.rate_fen * s.quantity + %(tolerance_fen)s)""",
        ("item_id",),
        "{name} 发放金额 {amount_fen} 分与标准不符（标准 {rate_fen} 分×数量 {quantity}）",
        params={"tolerance_fen": 0},
    ),
    RuleDef(
        "AGE_LIMIT", "年龄不符合政策", "warn",
        "按底册出生日期，对象在发放期间开始时的年龄低于政策最低年龄或高于最高年龄。",
        ("items", "persons"),
        """SELECT s.item_id, s.batch_id, s.id_bidx, s.name, p.birth_date, s.age_min, s.age_max
           FROM v_scope s JOIN v_persons p ON p.id_bidx = s.id_bidx
           WHERE p.birth_date > s.latest_birth OR p.birth_date <= s.earliest_birth""",
        ("item_id",),
        "{name} 出生于 {birth_date}，年龄不在政策规定的范围内（{age_min}～{age_max} 岁）",
    ),
    RuleDef(
        "ACCOUNT_INACTIVE", "账户未激活或冻结", "warn",
        "收款账户在底册中为未激活、冻结、挂失或已销户状态。",
        ("items", "accounts"),
        f"""SELECT s.item_id, s.batch_id, s.id_bidx, s.name, a.account_id, a.status AS account_status
           FROM v_scope s JOIN v_accounts a ON a.account_bidx = s.account_bidx
           WHERE s.account_bidx <> '' AND a.is_current = %(true)s AND a.status IN {INACTIVE}""",
        ("item_id", "account_id"),
        "{name} 的收款账户状态为“{account_status_label}”，无法正常入账",
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
]

BY_CODE = {r.code: r for r in BUILTIN}
