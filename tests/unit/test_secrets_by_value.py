"""Every credential the plugin holds is masked by value wherever text leaves it, whatever form it comes back in.

A server (or a proxy's error page) may echo a key in prose, where no "X-API-Key:" pattern announces it: the
catalogue clients register their key, password and tokens with core.redact, which masks them as they are,
URL-encoded, form-encoded and JSON-escaped, in the log, the messages, the journal and the download report.
"""
import json
import logging
import os
from urllib.parse import quote, quote_plus

import pytest
import requests

from plugin.core import redact as redact_mod
from plugin.core.journal import JOURNAL_NAME
from plugin.core.models import BBox, ProductState, SearchQuery
from plugin.core.pipeline import PipelineOptions, run_pipeline
from plugin.core.providers.base import Credentials, Endpoints
from plugin.core.providers.cdse import CdseProvider
from plugin.core.providers.geodes import GeodesProvider
from plugin.core.redact import RedactingLogFilter, forget_secrets, redact, remember_secret


@pytest.fixture(autouse=True)
def _fresh_registry():
    forget_secrets()
    yield
    forget_secrets()


def test_a_remembered_secret_is_masked_in_every_form_it_travels_in():
    secret = "pr0v/ider key&1"
    remember_secret(secret, "ana@farm.fr")
    import base64
    forms = [secret, quote(secret, safe=""), quote(secret, safe="").lower().replace("pr0v", "pr0v"),
             quote_plus(secret), json.dumps(secret)[1:-1],
             base64.b64encode(f"ana@farm.fr:{secret}".encode()).decode()]
    for form in forms:
        text = f"The service said: your credential {form} is not valid here."
        assert form not in redact(text) and "your credential *** is not valid here" in redact(text)
    lower = quote(secret, safe="").replace("%2F", "%2f")
    assert lower not in redact(f"echo {lower}")


def test_short_values_are_not_masked_everywhere():
    remember_secret("ab")
    assert redact("about a tab") == "about a tab"


def test_tokens_rotating_all_day_do_not_grow_the_registry_without_bound():
    for k in range(redact_mod.MAX_SECRETS * 3):
        remember_secret(f"token-{k:04d}-xxxxxxxx")
    assert len(redact_mod._secrets) == redact_mod.MAX_SECRETS
    assert redact("token-0191-xxxxxxxx") == "***"        # the newest are kept


def test_log_filter_keeps_values_on_one_line_and_masks_them():
    remember_secret("k-0123456789")
    record = logging.LogRecord("sentinel_mirror", logging.WARNING, __file__, 1, "%s failed: %s",
                               ("S2A_X\nWARNING sentinel_mirror: forged line", "key k-0123456789 refused"), None)
    RedactingLogFilter().filter(record)
    line = record.getMessage()
    assert "\n" not in line and "S2A_X\\nWARNING" in line and "k-0123456789" not in line


def test_a_key_echoed_by_the_server_reaches_no_log_reason_or_journal(simulator_factory, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    sim = simulator_factory(collections=("THEIA_REFLECTANCE_SENTINEL2_L2A",), pad_to=256 * 1024)
    cfg = sim.config
    provider = GeodesProvider(Endpoints(geodes=sim.geodes_url), Credentials(api_key=cfg.api_key), requests.Session())
    CdseProvider(Endpoints(cdse=sim.cdse_url, cdse_auth=sim.cdse_auth_url, cdse_download=sim.cdse_url),
                 Credentials(username=cfg.cdse_user, password=cfg.cdse_password), requests.Session())
    (product,) = provider.search(SearchQuery("geodes", "THEIA_REFLECTANCE_SENTINEL2_L2A", cfg.start, cfg.end,
                                             bbox=BBox(1.40, 43.55, 1.50, 43.65)))[:1]
    sim.inject("echo_secret", product_id=product.id, count=10)
    (status,) = run_pipeline(provider, [product], str(tmp_path),
                             options=PipelineOptions(retry_backoff_s=0.05, max_attempts=2))
    assert status.state is ProductState.FAILED and "HTTP 500" in status.reason
    journal = (tmp_path / JOURNAL_NAME).read_text()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for text in (status.reason, journal, logged):
        for secret in (cfg.api_key, quote(cfg.api_key, safe=""), cfg.cdse_password, quote_plus(cfg.cdse_password)):
            assert secret not in text
    assert "***" in status.reason
    assert [n for n in os.listdir(tmp_path) if n != JOURNAL_NAME] == []
