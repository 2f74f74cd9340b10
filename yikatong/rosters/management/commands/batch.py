"""`yikatong batch …`: the batch actions of the pages, from the command line, as a named user.

    yikatong batch create --policy DB01 --period 2026-11 --region 141024100 --as zhan   (last line: the batch id)
    yikatong batch import BATCH_ID FILE --as zhan [--mode all_or_nothing|valid_only] [--confirm-standard] [--wait]
    yikatong batch check BATCH_ID --as zhan [--wait]
    yikatong batch advance BATCH_ID [ACTION] --as zhan [--reason TEXT]     (no ACTION: the allowed ones)
    yikatong batch split FILE --policy DB01 --period 2026-11 --region 141024 --as xian  (county-wide roster)

Thin: every subcommand calls the service the pages call (rosters.services.batch_create,
roster_import_start, checks.tasks.batch_check_start (through rosters.hooks), rosters.transitions.batch_transition,
rosters.county.county_roster_split) with the --as user as the actor; a refusal exits non-zero with
`[CODE] message` (web.cli_support)."""
from pathlib import Path

from yikatong.web.cli_support import ActingCommand, add_actor_option, job_finished, scoped_get, wait_for_job

from ...models import ImportMode


class Command(ActingCommand):
    help = "发放批次：create 新建；import 导入清册；check 运行比对；advance 流转；split 按乡镇拆分全县清册（均须 --as 用户名）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="新建发放批次，末行输出批次号（id）")
        create.add_argument("--policy", required=True, help="政策代码，如 DB01")
        create.add_argument("--period", required=True, help="发放期间：2026-11（按月）、2026Q4（按季）、2026（按年）")
        create.add_argument("--region", required=True, help="乡镇区划代码（9或12位；主管部门发放的政策为县）")
        imp = sub.add_parser("import", help="向草稿批次导入清册文件（后台校验导入）")
        imp.add_argument("batch_id", type=int)
        imp.add_argument("file")
        imp.add_argument("--mode", default=ImportMode.ALL_OR_NOTHING, choices=ImportMode.values,
                         help="all_or_nothing：全部正确才导入（默认）；valid_only：只导入正确的行")
        imp.add_argument("--confirm-standard", action="store_true", help="确认清册标准与目录标准不同是有意的")
        imp.add_argument("--wait", action="store_true", help="等待校验导入完成，输出导入行数和错误（含行号）")
        check = sub.add_parser("check", help="对批次运行大数据比对")
        check.add_argument("batch_id", type=int)
        check.add_argument("--wait", action="store_true", help="等待比对完成并输出结果")
        adv = sub.add_parser("advance", help="批次流转；不给 ACTION 则列出您现在可以执行的流转")
        adv.add_argument("batch_id", type=int)
        adv.add_argument("transition", nargs="?", default="", metavar="ACTION")
        adv.add_argument("--reason", default="", help="原因（退回等须填写）")
        split = sub.add_parser("split", help="全县清册（含“乡镇”列）按乡镇拆分为多个批次并导入，全部正确才生成")
        split.add_argument("file")
        split.add_argument("--policy", required=True)
        split.add_argument("--period", required=True)
        split.add_argument("--region", required=True, help="县(市、区)区划代码（6或12位）")
        for p in (create, imp, check, adv, split):
            add_actor_option(p)

    def _batch(self, actor, batch_id):
        from ... import selectors

        return scoped_get(selectors.batches_for(actor), batch_id, "BATCH_NOT_FOUND", batch=batch_id)

    def _create(self, actor, *, policy, period, region, **_):
        from yikatong.regions.selectors import region_or_refuse

        from ... import selectors, services

        place = region_or_refuse(region)
        batch = services.batch_create(actor=actor, policy=selectors.payable_policy(policy, region=place, period=period),
                                      period=period.strip(), region=place)
        self.stdout.write(f"已新建批次 {batch.code}（{batch.policy.name}，{place.name}，{batch.period}），状态：草稿")
        self.stdout.write(str(batch.pk))

    def _import(self, actor, *, batch_id, file, mode, confirm_standard, wait, **_):
        from ... import selectors, services

        batch = self._batch(actor, batch_id)
        path = Path(file)
        run = services.roster_import_start(actor=actor, batch_id=batch.pk, data=path.read_bytes(), filename=path.name,
                                           mode=mode, confirm_standard=confirm_standard)
        self.stdout.write(f"清册 {path.name} 已提交校验导入（批次 {batch.code}，后台任务 {run.job_id}）")
        if not wait:
            return
        job_finished(wait_for_job(run.job_id))
        run.refresh_from_db()
        # masked as the API shows them: command output ends up in scripts and logs
        problems = selectors.import_problems_for(None, run)
        for p in problems:
            if p.get("level") == "error":
                self.stderr.write(f"错误 {p['message']}")
        warnings = sum(p.get("level") == "warning" for p in problems)
        self.stdout.write(f"共 {run.rows} 行，导入 {run.accepted} 行，错误 {run.error_count} 处，提示 {warnings} 处")
        if not run.imported:
            from ...errors import RosterError

            raise RosterError("ROSTER_NOT_IMPORTED", batch=batch.code, message=run.message)
        self.stdout.write(run.message)

    def _check(self, actor, *, batch_id, wait, **_):
        from ... import hooks

        batch = self._batch(actor, batch_id)
        job = hooks.check_start(actor=actor, batch_id=batch.pk)  # checks.tasks.batch_check_start
        self.stdout.write(f"批次 {batch.code} 的大数据比对已排队（后台任务 {job.pk}）")
        if wait:
            self.stdout.write(job_finished(wait_for_job(job.pk)).message)

    def _advance(self, actor, *, batch_id, transition, reason, **_):
        from ... import flows, transitions

        batch = self._batch(actor, batch_id)
        allowed = transitions.actions_for(actor, batch)
        if not transition:
            self._list(batch, allowed, flows)
            return
        try:
            batch = transitions.batch_transition(actor=actor, batch_id=batch.pk, action=transition, reason=reason)
        except Exception:
            self._list(batch, allowed, flows, out=self.stderr)
            raise
        self.stdout.write(f"批次 {batch.code}：{transition} 完成，当前状态：{flows.state_label(batch.state)}")

    def _list(self, batch, allowed, flows, out=None):
        out = out or self.stdout
        out.write(f"批次 {batch.code} 当前状态：{flows.state_label(batch.state)}；您现在可以执行的流转：")
        for tr in allowed:
            out.write(f"  {tr.action}\t{tr.label}" + ("（须填写 --reason）" if tr.needs_reason else ""))
        if not allowed:
            out.write("  （无）")

    def _split(self, actor, *, file, policy, period, region, **_):
        from yikatong.regions.selectors import region_or_refuse

        from ... import selectors
        from ...county import CountyRosterRefused, county_roster_split

        county = region_or_refuse(region)
        path = Path(file)
        try:
            result = county_roster_split(actor=actor, policy=selectors.payable_policy(policy, region=county, period=period),
                                         period=period.strip(), county_region=county, data=path.read_bytes(),
                                         filename=path.name)
        except CountyRosterRefused as exc:
            for p in selectors.masked_problems(exc.problems):  # rows of the county file, masked as the API does
                self.stderr.write(("错误 " if p.get("level", "error") == "error" else "提示 ") + p["message"])
            raise
        for p in result.warnings:
            self.stderr.write("提示 " + p["message"])
        self.stdout.write("乡镇\t批次\t行数\t人数\t金额(分)")
        for t in result.townships:
            self.stdout.write(f"{t.name}\t{t.batch_code}\t{t.rows}\t{t.persons}\t{t.amount_fen}")
        self.stdout.write(f"已按乡镇拆分为 {len(result.townships)} 个批次，共 {result.rows} 行，"
                          f"金额合计 {result.amount_fen} 分")
        self.stdout.write(" ".join(str(t.batch_id) for t in result.townships))
