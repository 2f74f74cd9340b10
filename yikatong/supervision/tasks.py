"""Background work of supervision: the quarterly inspection plans (supervision.inspection_schedule)."""
from yikatong.jobs.registry import job_handler


def quarterly_inspections_due() -> bool:
    """Any county with last quarter's monthly items under a profile asking for the check and no plan yet."""
    from .inspection_schedule import counties_due, last_quarter

    return bool(counties_due(last_quarter()))


@job_handler
def quarterly_inspections_job(job, progress):
    """Create and draw last quarter's inspection plan of every county due (one per county and quarter)."""
    from .inspection_schedule import quarterly_plans_create

    made = quarterly_plans_create(quarter=job.params.get("quarter") or None)
    samples = sum(p.samples.count() for p in made)
    # the schedule page is read by every county's admin: counts only
    return f"生成季度抽查计划 {len(made)} 个，共抽取样本 {samples} 个", {"plans": [p.pk for p in made], "samples": samples}
