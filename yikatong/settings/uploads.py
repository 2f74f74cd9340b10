"""Upload and spreadsheet-parser limits (issue 13), read from the environment.

  YKT_UPLOAD_MAX_MB        per-kind overrides in MB, e.g. "roster=20,register=200"
  YKT_PARSER_MAX_MEMORY_MB address space of the spreadsheet parser child process (1536)
  YKT_PARSER_TIMEOUT_S     wall time the parser child may take to read a workbook (120)
  YKT_XLSX_MAX_UNCOMPRESSED_MB, YKT_XLSX_MAX_RATIO, YKT_XLSX_MAX_ROWS, YKT_XLSX_MAX_COLUMNS,
  YKT_XLSX_MAX_CELLS       the xlsx pre-check (512 MB, 100:1, 1048576, 200, 20000000)
"""
from .env import env_str

MB = 1024 * 1024

# Upload kind -> largest accepted file, in bytes. Every upload endpoint names its kind
# (yikatong.core.uploads); a kind missing here falls back to the default in that module.
DEFAULT_UPLOAD_MAX_BYTES = {
    "roster": 20 * MB,       # roster xlsx/xls/csv (10,000 rows is about 1 MB)
    "register": 200 * MB,    # base-register import
    "reference": 100 * MB,   # other agencies' reference data (deaths, civil servants, ...)
    "compare": 20 * MB,      # list compared against the register
    "policy": 20 * MB,       # policy basis files (PDF/OFD/images)
    "change": 20 * MB,       # attachments of policy change requests
    "evidence": 10 * MB,     # evidence of a finding's disposition (each file)
    "attachment": 10 * MB,   # batch attachments and notice photos
    "bankfile": 50 * MB,     # bank result files uploaded by hand
}


def _overrides(text: str) -> dict[str, int]:
    out = {}
    for part in text.split(","):
        kind, sep, mb = part.partition("=")
        if sep and kind.strip() and mb.strip():
            out[kind.strip()] = int(float(mb) * MB)
    return out


YKT_UPLOAD_MAX_BYTES = {**DEFAULT_UPLOAD_MAX_BYTES, **_overrides(env_str("YKT_UPLOAD_MAX_MB", ""))}

# Django keeps an uploaded file in memory up to this size, then streams it to a temporary file
# (mode 0600); non-file request data (form fields, JSON bodies) is capped at DATA_UPLOAD_MAX_MEMORY_SIZE.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * MB
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * MB
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# The first handler stops reading a file once it is larger than the largest limit of any kind, so a
# 10 GB upload is neither held in memory nor written to disk; the per-kind limit is checked by the view.
FILE_UPLOAD_HANDLERS = [
    "yikatong.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

YKT_PARSER_MAX_MEMORY_MB = int(env_str("YKT_PARSER_MAX_MEMORY_MB", "1536"))
YKT_PARSER_TIMEOUT_S = int(env_str("YKT_PARSER_TIMEOUT_S", "120"))
YKT_XLSX_MAX_UNCOMPRESSED_MB = int(env_str("YKT_XLSX_MAX_UNCOMPRESSED_MB", "512"))
YKT_XLSX_MAX_RATIO = int(env_str("YKT_XLSX_MAX_RATIO", "100"))
YKT_XLSX_MAX_ROWS = int(env_str("YKT_XLSX_MAX_ROWS", "1048576"))
YKT_XLSX_MAX_COLUMNS = int(env_str("YKT_XLSX_MAX_COLUMNS", "200"))
YKT_XLSX_MAX_CELLS = int(env_str("YKT_XLSX_MAX_CELLS", "20000000"))
