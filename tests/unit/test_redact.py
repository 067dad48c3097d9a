"""Secrets never reach a log line: core.redact masks the forms our catalogues use, and keeps the rest readable."""
import pytest

from plugin.core.redact import redact


@pytest.mark.parametrize("text, secret, kept", [
    ("X-API-Key: 0123abcd", "0123abcd", "X-API-Key: ***"),
    ("headers {'X-API-Key': 'k-1', 'User-Agent': 'SentinelMirror/0.1.0'}", "k-1", "SentinelMirror/0.1.0"),
    ("Authorization: Bearer eyJhbGciOi.x.y", "eyJhbGciOi", "Authorization: Bearer ***"),
    ("authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz", "Basic ***"),
    ("grant_type=password&username=ana@farm.fr&password=hunter2&client_id=cdse-public", "hunter2",
     "client_id=cdse-public"),
    ('{"access_token": "AT-9", "refresh_token": "RT-9", "expires_in": 600}', "RT-9", '"expires_in": 600'),
    ("GET https://x.example/dl?token=T0K3N&page=2", "T0K3N", "page=2"),
    ("client_secret=s3cr3t", "s3cr3t", "client_secret=***"),
    ("Failed to parse: http://ana:pr0xyP%40ss@proxy.farm.fr:3128", "pr0xyP", "http://ana:***@proxy.farm.fr:3128"),
    ("proxies {'https': 'socks5h://u:s3cret@10.0.0.1:1080'}", "s3cret", "socks5h://u:***@10.0.0.1:1080"),
])
def test_secret_values_are_masked(text, secret, kept):
    masked = redact(text)
    assert secret not in masked
    assert kept in masked


def test_text_without_secrets_is_unchanged():
    text = "Staging 12 products on GEODES (31TCJ, 2023-06-01 -> 2023-07-15), 4 downloads in parallel"
    assert redact(text) == text
    assert redact("") == "" and redact(None) is None
