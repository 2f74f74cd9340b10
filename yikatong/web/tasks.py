"""Background verification of the audit chain, with progress."""
from yikatong.audit.verify import verify_chain
from yikatong.jobs.registry import job_handler


@job_handler
def verify_job(job, progress):
    result = verify_chain(progress=lambda done, total: progress(done, total))
    return result.message, {"ok": result.ok, "checked": result.checked, "broken_seq": result.broken_seq}


@job_handler
def deadline_scan_job(job, progress):
    """The scheduled deadline scan: every active user's to-do list (web.todo, filled by each app's
    todo.py) is read and its overdue items counted, by category. It records the counts (the run's
    message and result); the overdue items themselves stay flagged on each user's own list."""
    from collections import Counter

    from django.contrib.auth import get_user_model

    from .todo import todos_for

    users = list(get_user_model().objects.filter(is_active=True, organization__isnull=False).order_by("pk"))
    by_category: Counter = Counter()
    late_users = 0
    for done, user in enumerate(users, 1):
        overdue = [item for item in todos_for(user) if item.overdue]
        if overdue:
            late_users += 1
            by_category.update(item.category or "其他" for item in overdue)
        if done % 20 == 0:
            progress(done, len(users))
    total = sum(by_category.values())
    if total:
        parts = "，".join(f"{category} {n} 项" for category, n in by_category.most_common())
        message = f"逾期待办 {total} 项（按用户计），涉及 {late_users} 名用户：{parts}"
    else:
        message = f"已检查 {len(users)} 名用户的待办清单，没有逾期事项"
    return message, {"users": len(users), "users_with_overdue": late_users, "overdue": total,
                     "by_category": dict(by_category)}
