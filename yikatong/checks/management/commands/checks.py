"""`yikatong checks sweep --region CODE --as USER [--year 2026] [--engine duckdb|db] [--wait]`: the full
cross-check (全量比对) of one region subtree, as a named user.

Thin: checks.tasks.sweep_start checks the role and the region and queues the sweep job (audited to
the user); --wait runs or waits for it here. A refusal exits non-zero with `[CODE] message`."""
from yikatong.web.cli_support import ActingCommand, add_actor_option, job_finished, wait_for_job


class Command(ActingCommand):
    help = "大数据比对：sweep 对一个区划内的全部批次运行全量比对（须 --as 用户名）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sweep = sub.add_parser("sweep", help="对区划内全部批次运行全量比对（后台任务）")
        sweep.add_argument("--region", required=True, help="区划代码（县6位或12位等）")
        sweep.add_argument("--year", default=None, help="只比对该年度的批次，如 2026")
        sweep.add_argument("--engine", default="duckdb", choices=["duckdb", "db"])
        sweep.add_argument("--wait", action="store_true", help="等待比对完成并输出结果")
        add_actor_option(sweep)

    def _sweep(self, actor, *, region, year, engine, wait, **_):
        from ...tasks import sweep_start

        job = sweep_start(actor=actor, region_code=region, year=year, engine=engine)
        self.stdout.write(f"{job.title} 已排队（后台任务 {job.pk}）")
        if wait:
            self.stdout.write(job_finished(wait_for_job(job.pk)).message)
