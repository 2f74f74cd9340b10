import pytest

from tests.support.env import media_in


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded basis documents and attachments go to a temporary directory."""
    media_in(settings, tmp_path / "media")
