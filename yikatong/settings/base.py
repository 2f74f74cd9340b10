"""Base settings, read from the environment.

Environment:
  DATABASE_URL        default sqlite:///var/yikatong.sqlite3
  YKT_SECRET_KEY      default: generated once into var/secret_key
  YKT_DATA_KEY        AES-256 key (urlsafe base64) for personal data; default var/data_key
  YKT_DEBUG           off unless "1"/"true"
  YKT_ALLOWED_HOSTS   comma separated, default "127.0.0.1,localhost"
  YKT_PROFILE         local profile code (000..004), default 004
  YKT_SESSION_MINUTES idle session lifetime, default 30
  YKT_LOCKOUT_THRESHOLD, YKT_LOCKOUT_MINUTES            failed passwords before a lock (5), its length (15)
  YKT_TOTP_LOCKOUT_THRESHOLD, YKT_TOTP_LOCKOUT_MINUTES  the same for wrong TOTP codes (5, 15)
  YKT_TOKEN_DEFAULT_DAYS, YKT_TOKEN_MAX_DAYS            API token lifetime offered (90) and allowed (365)
  YKT_DB_STATEMENT_TIMEOUT, YKT_DB_LOCK_TIMEOUT, YKT_DB_IDLE_IN_TRANSACTION_TIMEOUT,
  YKT_DB_JOB_STATEMENT_TIMEOUT   PostgreSQL limits in seconds (300, 30, 120, 3600; 0 = off)
  YKT_JOB_LEASE_SECONDS, YKT_JOB_MAX_ATTEMPTS   background job lease (60) and attempts (3)
  YKT_SCHEDULER_IN_WORKER, YKT_SCHEDULE_GRACE_SECONDS  the worker runs the schedule (1), a missed slot's grace (3600 s)
  YKT_TRUSTED_PROXIES  comma separated IPs/CIDRs of reverse proxies whose X-Forwarded-For is believed
                       (default empty: the client address is the TCP peer's)
  YKT_PROXY_SSL_HEADER "1" behind a TLS-terminating proxy that sets X-Forwarded-Proto (default off)
  YKT_LOOKUP_RATE      personal-data searches per user, "N/min" or "N/hour" (default 30/min)
  YKT_PUBLIC_LIST_RATE public list pages (/public/notices/…) per client address (default 60/min)
  YKT_COMPARE_ROWS_PER_HOUR  rows a user may compare against the register per hour (default 100000)
  YKT_UPLOAD_MAX_MB, YKT_PARSER_*, YKT_XLSX_*    upload and parser limits (see settings/uploads.py)
"""
from pathlib import Path

import dj_database_url

from .env import BASE_DIR, VAR_DIR, env_bool, env_list, env_str, persistent_secret
from .uploads import *  # noqa: F401,F403 - upload size limits and the spreadsheet parser's limits

SECRET_KEY = persistent_secret("YKT_SECRET_KEY", "secret_key")
DEBUG = env_bool("YKT_DEBUG", False)
ALLOWED_HOSTS = env_list("YKT_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("YKT_CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "yikatong.core",
    "yikatong.regions",
    "yikatong.accounts",
    "yikatong.audit",
    "yikatong.jobs",
    "yikatong.policies",
    "yikatong.funds",
    "yikatong.registry",
    "yikatong.rosters",
    "yikatong.applications",
    "yikatong.disclosure",
    "yikatong.checks",
    "yikatong.supervision",
    "yikatong.payments",
    "yikatong.reports",
    "yikatong.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "yikatong.core.middleware.RejectNulMiddleware",
    "yikatong.core.middleware.RejectMalformedPathMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "yikatong.accounts.middleware.DenyByDefaultMiddleware",
    "yikatong.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "yikatong.web.headers.NoStoreMiddleware",
    "yikatong.audit.middleware.RequestContextMiddleware",
    "yikatong.web.errors.ErrorReferenceMiddleware",
]

# Content-Security-Policy (django-csp): scripts only from our own static files (no inline script, no
# eval); styles allow inline style attributes (templates use a few; no script runs from them).
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
CSRF_FAILURE_VIEW = "yikatong.web.errors.csrf_failure"

# Reverse proxies: X-Forwarded-For is believed only from these peers (audit.middleware.client_ip), and
# X-Forwarded-Proto only when YKT_PROXY_SSL_HEADER is on (otherwise anyone could claim HTTPS).
YKT_TRUSTED_PROXIES = env_list("YKT_TRUSTED_PROXIES", "")
if env_bool("YKT_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Personal-data lookups per user (registry.ratelimit): searches in a window, compared rows per hour.
YKT_LOOKUP_RATE = env_str("YKT_LOOKUP_RATE", "30/min")
# Public list pages (/public/notices/…) per client address (disclosure.public_throttle)
YKT_PUBLIC_LIST_RATE = env_str("YKT_PUBLIC_LIST_RATE", "60/min")
# The public address of the site, for links printed on paper (the QR code of a printed notice, rosters.notice_print)
YKT_PUBLIC_BASE_URL = env_str("YKT_PUBLIC_BASE_URL", "http://localhost:8000")
YKT_COMPARE_ROWS_PER_HOUR = int(env_str("YKT_COMPARE_ROWS_PER_HOUR", "100000"))

# Demo and test layers (settings/demo.py) add the bank simulator and allow `yikatong demo`;
# production (settings/production.py) holds production apps only.
YKT_DEMO_ENABLED = False

ROOT_URLCONF = "yikatong.urls"
WSGI_APPLICATION = "yikatong.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "yikatong" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yikatong.web.context.shell",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'yikatong.sqlite3'}"),
        conn_max_age=0,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web server and the worker share one file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# PostgreSQL: no statement runs, no lock is waited for and no transaction sits idle without bound,
# so a hung or half-dead process never holds a lock for long (a killed one loses its connection at
# once). Seconds; 0 turns a limit off. Background jobs run under YKT_DB_JOB_STATEMENT_TIMEOUT for
# statements and idle-in-transaction gaps (jobs.services.run, for the job's session); a single long statement elsewhere may raise
# its own limit inside its transaction with yikatong.core.dbtimeouts.local_statement_timeout.
YKT_DB_STATEMENT_TIMEOUT = int(env_str("YKT_DB_STATEMENT_TIMEOUT", "300"))
YKT_DB_LOCK_TIMEOUT = int(env_str("YKT_DB_LOCK_TIMEOUT", "30"))
YKT_DB_IDLE_IN_TRANSACTION_TIMEOUT = int(env_str("YKT_DB_IDLE_IN_TRANSACTION_TIMEOUT", "120"))
YKT_DB_JOB_STATEMENT_TIMEOUT = int(env_str("YKT_DB_JOB_STATEMENT_TIMEOUT", "3600"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = " ".join(filter(None, [
        _options.get("options", ""),
        f"-c statement_timeout={YKT_DB_STATEMENT_TIMEOUT * 1000}",
        f"-c lock_timeout={YKT_DB_LOCK_TIMEOUT * 1000}",
        f"-c idle_in_transaction_session_timeout={YKT_DB_IDLE_IN_TRANSACTION_TIMEOUT * 1000}",
    ]))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["yikatong.accounts.backends.LockoutBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Every user-facing path that sets a password validates it against these (accounts.passwords);
# the minimum-length validator is our subclass only for its Chinese message.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("username", "full_name")}},
    {"NAME": "yikatong.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

# Sessions expire after YKT_SESSION_MINUTES of inactivity and when the browser closes.
SESSION_COOKIE_AGE = int(env_str("YKT_SESSION_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Lockout after repeated failed logins.
YKT_LOCKOUT_THRESHOLD = int(env_str("YKT_LOCKOUT_THRESHOLD", "5"))
YKT_LOCKOUT_MINUTES = int(env_str("YKT_LOCKOUT_MINUTES", "15"))
# The same for wrong second-factor (TOTP) codes, counted separately from passwords.
YKT_TOTP_LOCKOUT_THRESHOLD = int(env_str("YKT_TOTP_LOCKOUT_THRESHOLD", "5"))
YKT_TOTP_LOCKOUT_MINUTES = int(env_str("YKT_TOTP_LOCKOUT_MINUTES", "15"))
# API tokens: lifetime offered by default when issuing, and the longest allowed (days).
YKT_TOKEN_DEFAULT_DAYS = int(env_str("YKT_TOKEN_DEFAULT_DAYS", "90"))
YKT_TOKEN_MAX_DAYS = int(env_str("YKT_TOKEN_MAX_DAYS", "365"))
# Two-factor authentication (TOTP) for approving roles: required in production.
YKT_REQUIRE_2FA = env_bool("YKT_REQUIRE_2FA", False)

YKT_DATA_KEY = persistent_secret("YKT_DATA_KEY", "data_key", 32)
YKT_PROFILE = env_str("YKT_PROFILE", "004")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "yikatong" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Where payment files go for the agent bank to collect (SFTP-style outbox) and where its answers arrive.
YKT_BANK_OUTBOX = Path(env_str("YKT_BANK_OUTBOX", str(VAR_DIR / "bank" / "outbox")))
YKT_BANK_INBOX = Path(env_str("YKT_BANK_INBOX", str(VAR_DIR / "bank" / "inbox")))

# A running job holds a lease, renewed by a heartbeat; when it lapses (the process died) the job is
# queued again, up to YKT_JOB_MAX_ATTEMPTS runs, then failed (yikatong.jobs.services.recover_interrupted).
YKT_JOB_LEASE_SECONDS = int(env_str("YKT_JOB_LEASE_SECONDS", "60"))
YKT_JOB_MAX_ATTEMPTS = int(env_str("YKT_JOB_MAX_ATTEMPTS", "3"))

# Scheduled jobs: THE one place they are declared (docs/operations.md §4a, yikatong/jobs/schedule.py).
# name -> cron (5 fields, Asia/Shanghai), handler (dotted path of a @job_handler, run as a background
# job with `params`), optional `when` (dotted path of a cheap check; a slot with nothing to do is
# recorded as skipped without a job), title and description (Chinese, shown on /jobs/schedules/).
# The worker's scheduler (APScheduler) fires each slot; a ScheduleRun row unique on (name, slot time)
# lets exactly one worker run it. A production settings module may change times or drop entries.
YKT_SCHEDULES = {
    "checks_sweep": {
        "cron": "0 2 * * *",
        "handler": "yikatong.checks.tasks.sweep_job",
        "params": {"engine": "duckdb"},
        "title": "夜间全量大数据比对",
        "description": "每晚用全部比对规则检查所有发放批次，新发现的疑点进入待处置清单，已不成立的疑点自动消除。",
    },
    "sms_deliver": {
        "cron": "*/10 * * * *",
        "handler": "yikatong.payments.tasks.sms_deliver_job",
        "when": "yikatong.payments.tasks.sms_waiting",
        "title": "发送到账短信告知",
        "description": "发送排队中和上次失败的到账短信告知（每条最多重试3次）；没有待发短信时不运行。",
    },
    "bank_inbox_collect": {
        "cron": "*/15 * * * *",
        "handler": "yikatong.payments.tasks.bank_inbox_collect_job",
        "when": "yikatong.payments.tasks.bank_answers_waiting",
        "title": "收取银行回盘文件",
        "description": "从银行交换目录收取回盘文件（成功、失败明细和整批拒收），逐个入账后移出收件目录；目录为空时不运行。",
    },
    "account_changes_apply": {
        "cron": "5 0 * * *",
        "handler": "yikatong.registry.tasks.account_changes_apply_job",
        "when": "yikatong.registry.tasks.account_changes_due",
        "title": "账户变更到期生效",
        "description": "每天零点后启用生效日期已到的已批准账户变更：停用原账户、启用新账户，并保留历史记录；没有到期的变更时不运行。",
    },
    "upward_export": {
        "cron": "0 3 2 * *",
        "handler": "yikatong.payments.tasks.upward_export_job",
        "when": "yikatong.payments.tasks.upward_due",
        "title": "生成上月上报数据文件",
        "description": "每月2日为上月有发放明细的县生成上报省级平台和直达资金监控系统的数据文件（CSV、JSON，加密保存，"
                       "仅财政业务科室可下载）；已生成过的县不重复生成，需要新版本时由财政业务科室手工生成。",
    },
    "deadline_scan": {
        "cron": "30 7 * * *",
        "handler": "yikatong.web.tasks.deadline_scan_job",
        "title": "逾期待办扫描",
        "description": "每天上班前统计各用户待办清单中已逾期的事项（批次、资金指标下达、银行回盘等），按类别记录逾期数量。",
    },
    "complaints_escalate": {
        "cron": "15 7 * * *",
        "handler": "yikatong.disclosure.tasks.complaints_escalate_job",
        "when": "yikatong.disclosure.tasks.complaints_overdue",
        "title": "投诉举报逾期升级",
        "description": "每天上班前检查超过答复期限（按工作日计）仍未答复的投诉、举报和咨询，升级至县级主管部门/财政，列入其待办；没有逾期时不运行。",
    },
    "results_publish": {
        "cron": "0 6 * * *",
        "handler": "yikatong.disclosure.tasks.results_publish_job",
        "when": "yikatong.disclosure.tasks.results_unpublished",
        "title": "发放结果到期自动公开",
        "description": "每天检查银行回盘后按本地规定期限（按工作日计，如楚雄州5个工作日）仍未公开的发放结果名单，在期限当天由系统自动公开（身份证号脱敏）；已公开或已撤回的名单不动；没有到期名单时不运行。",
    },
    "quarterly_inspections": {
        "cron": "0 5 1 1,4,7,10 *",
        "handler": "yikatong.supervision.tasks.quarterly_inspections_job",
        "when": "yikatong.supervision.tasks.quarterly_inspections_due",
        "title": "按月发放资金季度抽查",
        "description": "每季度首日为上季度有按月发放明细、且本地规定每季度核查的县（如乌鲁木齐市）各生成一个抽查计划，按风险加权抽取样本"
                       "（随机种子记入计划，可复核）；已生成过的县和季度不重复生成；没有需要抽查的县时不运行。",
    },
}
# Run the scheduler inside `yikatong worker` (`--no-schedule` turns it off for one worker), and how
# late a slot may still be run (a worker started within this many seconds after a slot it missed).
YKT_SCHEDULER_IN_WORKER = env_bool("YKT_SCHEDULER_IN_WORKER", True)
YKT_SCHEDULE_GRACE_SECONDS = int(env_str("YKT_SCHEDULE_GRACE_SECONDS", "3600"))

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "ENQUEUE_ON_COMMIT": False,
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # a logged exception keeps its stack, not its message (database errors quote personal data)
    "filters": {"redact": {"()": "yikatong.web.errors.RedactExceptionFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
