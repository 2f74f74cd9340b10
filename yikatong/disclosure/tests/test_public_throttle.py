"""Rate limit of the public list pages (/public/notices/<region>/, /public/notices/list/<id>/): per client
address, both pages share one allowance, a Chinese 429 page past it, another address not held."""
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_list_pages_answer_429_in_chinese_past_the_rate(regions, client, settings):
    settings.YKT_PUBLIC_LIST_RATE = "3/min"
    town = regions["town1"].code[:9]
    region_url = reverse("public_list_region", args=[town])
    assert client.get(region_url, REMOTE_ADDR="10.5.0.1").status_code == 200
    assert client.get(region_url, REMOTE_ADDR="10.5.0.1").status_code == 200
    # the list page shares the allowance (an unknown list: 404, still one page view)
    assert client.get(reverse("public_list_detail", args=["nosuchlist"]), REMOTE_ADDR="10.5.0.1").status_code == 404
    held = client.get(region_url, REMOTE_ADDR="10.5.0.1")
    assert held.status_code == 429 and held["Retry-After"] == "60"
    body = held.content.decode()
    assert "访问过于频繁" in body and "1分钟内最多打开3个公示页面" in body and "PUBLIC_LIST_RATE_LIMITED" in body
    held_list = client.get(reverse("public_list_detail", args=["nosuchlist"]), REMOTE_ADDR="10.5.0.1")
    assert held_list.status_code == 429
    assert client.get(region_url, REMOTE_ADDR="10.5.0.2").status_code == 200  # another address


def test_default_rate_lets_a_reader_page_through(regions, client):
    url = reverse("public_list_region", args=[regions["town1"].code[:9]])
    assert all(client.get(url, {"page": n}).status_code == 200 for n in range(1, 21))
