"""Evidence files: type read from the bytes, size and count limited; clearing needs evidence."""
import io

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError

from yikatong.checks import evidence
from yikatong.checks.evidence import Upload


def _xlsx() -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.add_worksheet().write(0, 0, "证明")
    wb.close()
    return buf.getvalue()


def test_accepted_types_are_read_from_the_bytes():
    got = evidence.check([Upload("a.pdf", b"%PDF-1.7"), Upload("b.jpg", b"\xff\xd8\xff\xe0x"),
                          Upload("c.png", b"\x89PNG\r\n"), Upload("d.xlsx", _xlsx())])
    assert [c for _, c in got] == ["application/pdf", "image/jpeg", "image/png", evidence.XLSX]


@pytest.mark.parametrize("upload,code", [
    (Upload("伪装.pdf", b"MZ\x90\x00"), "FINDING_EVIDENCE_TYPE_REFUSED"),
    (Upload("壳.xlsx", b"PK\x03\x04 not a zip"), "FINDING_EVIDENCE_TYPE_REFUSED"),
    (Upload("空.pdf", b""), "FINDING_EVIDENCE_EMPTY"),
    (Upload("大.pdf", b"%PDF" + b"0" * evidence.MAX_BYTES), "FINDING_EVIDENCE_TOO_LARGE"),
])
def test_bad_files_are_refused_by_name(upload, code):
    with pytest.raises(ValidationError) as exc:
        evidence.check([upload])
    assert exc.value.code == code
    assert upload.filename in exc.value.messages[0]


def test_too_many_files_and_path_names():
    with pytest.raises(ValidationError) as exc:
        evidence.check([Upload(f"{i}.pdf", b"%PDF") for i in range(6)])
    assert exc.value.code == "FINDING_EVIDENCE_TOO_MANY"
    [(u, _)] = evidence.check([Upload("..\\..\\etc/passwd.pdf", b"%PDF")])
    assert u.filename == "passwd.pdf"
