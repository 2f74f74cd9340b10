"""What the business commands (`yikatong batch …`, `yikatong checks …`, `yikatong bank …`) share.

Every action of those commands is audited to a person: `--as USERNAME` names the acting user and the
command calls the very service the pages call with that user as the actor, so role, region scope and
refusals are the same as on the screen. A refusal ends the command with a non-zero exit and the
refusal's stable code in front of its Chinese message (`[NOT_IN_REGION] 不能…`).

    class Command(ActingCommand):                 # subcommands (dest "action"), each with add_actor_option
        def _create(self, actor, **options): ...  # refusals raised here become CommandError

    wait_for_job(job_id)   run a queued job in this process (if no worker took it yet) and wait for it
"""
from __future__ import annotations

import re
import time

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from yikatong.core.refusals import Refusal, code_of, message_for

from . import errors  # noqa: F401  (registers the CLI_ACTOR_* codes)

REFUSED_EXIT = 1


def actor_named(username: str | None):
    """The active user `username` (the --as option); refuses CLI_ACTOR_REQUIRED / _UNKNOWN / _INACTIVE."""
    from yikatong.accounts.models import User

    username = (username or "").strip()
    if not username:
        raise Refusal("CLI_ACTOR_REQUIRED")
    user = User.objects.filter(username=username).first()
    if user is None:
        raise Refusal("CLI_ACTOR_UNKNOWN", username=username)
    if not user.is_active:
        raise Refusal("CLI_ACTOR_INACTIVE", username=username)
    return user


def refusal_text(exc: BaseException) -> str:
    """`[CODE] message` of any refusal (a coded Refusal, a ValidationError, a PermissionDenied)."""
    code = code_of(exc)
    if isinstance(exc, Refusal):
        text = exc.message
    elif isinstance(exc, ValidationError):
        text = "；".join(exc.messages)
    else:
        text = str(exc) or message_for(code)
    return f"[{code}] {text}"


def as_command_error(exc: BaseException) -> CommandError:
    return CommandError(refusal_text(exc), returncode=REFUSED_EXIT)


def add_actor_option(parser, *, optional: bool = False) -> None:
    """--as USERNAME on `parser` (a subcommand's parser: argparse reads options after the subcommand there)."""
    parser.add_argument("--as", dest="as_user", required=not optional, metavar="USERNAME",
                        help="以哪个用户的身份操作（用户名）；操作记入该用户名下的审计日志"
                        + ("；不给则以系统身份" if optional else ""))


class ActingCommand(BaseCommand):
    """A command with subcommands (dest "action"), each acting as the user named by its --as option.
    Subcommands listed in `actor_optional` may run without --as (as the system, actor None)."""

    actor_optional: frozenset[str] = frozenset()

    def handle(self, *args, as_user=None, action=None, **options):
        try:
            actor = None if (not as_user and action in self.actor_optional) else actor_named(as_user)
            return getattr(self, "_" + action.replace("-", "_"))(actor, **options)
        except (Refusal, ValidationError, PermissionDenied) as exc:
            raise as_command_error(exc) from exc


def scoped_get(qs, pk, code: str, **params):
    """The object `pk` of `qs` (already scoped to the actor), else the refusal `code` (not told apart:
    an object out of scope is answered as one that does not exist)."""
    try:
        return qs.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Refusal(code, **params) from None


def wait_for_job(job_id: int, *, timeout: float = 3600, poll: float = 1.0):
    """Run the queued job here unless a worker already took it (jobs.services.run claims it with a
    conditional UPDATE, so it runs once), then wait until it is done or failed. Returns the Job."""
    from yikatong.jobs.models import Job, JobState
    from yikatong.jobs.services import run

    job = run(job_id)
    deadline = time.monotonic() + timeout
    while job.state in (JobState.QUEUED, JobState.RUNNING) and time.monotonic() < deadline:
        time.sleep(poll)
        job = Job.objects.get(pk=job_id)
    return job


_TRAILING_CODE = re.compile(r"（([A-Z][A-Z0-9_]+)）$")


def job_finished(job):
    """The job if it is done; else its refusal: the code the job failed with (jobs end a failure's
    message with it), or CLI_JOB_FAILED for a job still queued or running when the wait ended."""
    from yikatong.jobs.models import JobState

    if job.state == JobState.DONE:
        return job
    found = _TRAILING_CODE.search(job.message or "") if job.state == JobState.FAILED else None
    if found:
        raise Refusal(found.group(1), message=job.message)
    raise Refusal("CLI_JOB_FAILED", job=job.pk, state=job.get_state_display(), message=job.message or "")
