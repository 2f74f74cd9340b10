"""Progress of background tasks, and the worker's heartbeat."""
from django.conf import settings
from django.db import models


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class Job(models.Model):
    """One unit of background work as users see it: title, progress, outcome.

    `key` makes enqueuing idempotent: the same logical job is never queued twice
    while one is queued or running.
    """

    key = models.CharField("幂等键", max_length=120, db_index=True)
    kind = models.CharField("类型", max_length=60)
    title = models.CharField("名称", max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="jobs"
    )
    params = models.JSONField("参数", default=dict, blank=True)
    state = models.CharField("状态", max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    done = models.PositiveIntegerField("已处理", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    message = models.TextField("结果说明", blank=True)
    result = models.JSONField("结果", null=True, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The lease of a running job: who runs it ("host:pid:process-start"), until when (renewed by
    # a heartbeat while the handler runs). A lapsed lease means the runner died: the job is queued
    # again or failed (services.recover_interrupted), never left "running".
    lease_owner = models.CharField(max_length=120, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "后台任务"
        indexes = [models.Index(fields=["state", "lease_until"], name="jobs_job_state_lease")]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.state == JobState.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)


class WorkerHeartbeat(models.Model):
    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=100)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)


class RunState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
    SKIPPED = "skipped", "无需运行"


class ScheduleRun(models.Model):
    """One slot of a scheduled job (jobs.schedule), claimed by the first worker whose scheduler fired
    it: the unique (name, slot_time) lets exactly one worker insert it, and only that one queues the
    job. Its state follows the job (queued, running, done or failed with the message)."""

    name = models.CharField("定时任务", max_length=60)
    slot_time = models.DateTimeField("计划时间")
    claimed_by = models.CharField("执行进程", max_length=120)
    claimed_at = models.DateTimeField("触发时间", auto_now_add=True)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="schedule_runs")
    state = models.CharField("状态", max_length=10, choices=RunState.choices, default=RunState.QUEUED)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    message = models.TextField("结果说明", blank=True)

    class Meta:
        ordering = ["-slot_time"]
        verbose_name = "定时任务运行"
        constraints = [models.UniqueConstraint(fields=["name", "slot_time"], name="jobs_schedulerun_one_per_slot")]

    def __str__(self) -> str:
        return f"{self.name} {self.slot_time:%Y-%m-%d %H:%M}"
