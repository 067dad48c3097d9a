"""The GEODES and CDSE clients against the mirror simulator (a real HTTP server on 127.0.0.1)."""
import datetime as dt
import hashlib
import time

import pytest
import requests

from plugin.core.config import PluginConfig, with_env_overrides
from plugin.core.errors import (AuthError, InvalidInputError, MalformedResponseError, NotFoundError, QuotaError,
                               RemoteError)
from plugin.core.models import Availability, BBox, SearchQuery
from plugin.core.providers import Credentials, default_session, make_provider
from plugin.core.providers.http import RetryPolicy
from tests.simulator.catalogue import OLDER_BASELINE

YEAR = dict(start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31))
TOULOUSE = BBox(1.3, 43.5, 1.5, 43.7)


class Sleeps(list):
    """An injected sleep: records the delays instead of waiting."""

    def __call__(self, seconds):
        self.append(seconds)


def provider(sim, name, sleeps=None, creds=None, **options):
    env = sim.env()
    cfg = with_env_overrides(PluginConfig(), env)
    if creds is None:
        creds = (Credentials(api_key=env["SENTINEL_MIRROR_GEODES_API_KEY"]) if name == "geodes" else
                 Credentials(username=env["SENTINEL_MIRROR_CDSE_USERNAME"],
                             password=env["SENTINEL_MIRROR_CDSE_PASSWORD"]))
    options.setdefault("policy", RetryPolicy(timeout=(2.0, 5.0)))
    return make_provider(name, cfg.endpoints, creds, default_session("test"),
                         sleep=sleeps if sleeps is not None else Sleeps(), **options)


def geodes_query(**kw):
    return SearchQuery(**{"provider": "geodes", "collection": "THEIA_REFLECTANCE_SENTINEL2_L2A", "bbox": TOULOUSE,
                          **YEAR, **kw})


def cdse_query(**kw):
    return SearchQuery(**{"provider": "cdse", "collection": "sentinel-2-l2a", "bbox": TOULOUSE, **YEAR, **kw})


# --- paging --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,query", [("geodes", geodes_query), ("cdse", cdse_query)])
def test_a_year_over_several_overlapping_pages_returns_every_product_once(simulator_factory, name, query):
    sim = simulator_factory(**YEAR, geodes_page_cap=20, cdse_page_cap=20, page_overlap=2,
                            collections=("THEIA_REFLECTANCE_SENTINEL2_L2A", "sentinel-2-l2a"))
    expected = {p.id for p in sim.products_of(name)}
    assert len(expected) == 73       # every 5 days over 2023
    found = provider(sim, name).search(query())
    assert sorted(p.id for p in found) == sorted(expected)
    assert sim.stats.count("search") >= 4   # 73 items at 20 a page
    assert [p.acquired for p in found] == sorted(p.acquired for p in found)


def test_geodes_tile_search_sends_the_grid_code_and_filters(simulator_factory):
    sim = simulator_factory(**YEAR, tiles=("31TCJ", "31TCH"), collections=("THEIA_REFLECTANCE_SENTINEL2_L2A",))
    found = provider(sim, "geodes").search(geodes_query(bbox=None, tile="T31TCJ", max_cloud=30))
    expected = {p.id for p in sim.products if p.tile == "31TCJ" and p.cloud_cover <= 30}
    assert expected and {p.id for p in found} == expected
    assert all(p.tile == "31TCJ" and p.cloud_cover <= 30 for p in found)


def test_cdse_tile_search_filters_tile_cloud_and_orbit(simulator_factory):
    sim = simulator_factory(**YEAR, tiles=("31TCJ", "31TCH"), collections=("sentinel-2-l2a",))
    orbit = sim.products_of("cdse")[0].relative_orbit
    found = provider(sim, "cdse").search(cdse_query(bbox=None, tile="31TCH", max_cloud=40, relative_orbit=orbit))
    expected = {p.id for p in sim.products if p.tile == "31TCH" and p.cloud_cover <= 40
                and p.relative_orbit == orbit}
    assert {p.id for p in found} == expected


def test_search_results_carry_the_real_archive_size_and_md5(simulator):
    found = provider(simulator, "geodes").search(geodes_query(start=dt.date(2023, 6, 1), end=dt.date(2023, 6, 10)))
    assert found
    for p in found:
        body = requests.get(p.download_url, headers={"X-API-Key": simulator.config.api_key}).content
        assert len(body) == p.size
        assert hashlib.md5(body).hexdigest() == p.checksum


# --- availability, fidelity to the real services -----------------------------------------------------------
def _truth(sim):
    return {p.id: Availability.ONLINE if p.online else Availability.OFFLINE for p in sim.products}


def test_geodes_availability_is_one_request_per_batch_and_follows_the_portal_order(simulator_factory):
    sim = simulator_factory(**YEAR, offline_fraction=0.5, staging_delay_s=0.3,
                            collections=("THEIA_REFLECTANCE_SENTINEL2_L2A",))
    g = provider(sim, "geodes")
    found = g.search(geodes_query())
    # the search's rows come from the availability endpoint (THEIA descriptions all say "Is online: true")
    assert {p.id: p.availability for p in found} == {p.id: _truth(sim)[p.id] for p in found}
    before = sim.stats.count("availability")
    states = g.availability(found)
    assert sim.stats.count("availability") - before == 2          # 73 products, 50 a request
    offline = [p for p in found if states[p.id] is Availability.OFFLINE]
    assert offline and states == {p.id: _truth(sim)[p.id] for p in found}
    sim.order([p.id for p in offline])   # the user's request in the GEODES explorer
    assert set(g.availability(offline).values()) == {Availability.OFFLINE}   # recalling: still not available
    time.sleep(0.4)
    assert set(g.availability(offline).values()) == {Availability.ONLINE}
    assert sim.stats.count("download") == 0


def test_an_availability_answer_naming_none_of_the_products_is_unknown_and_said(simulator_factory, caplog):
    """No real /fastavailability answer is recorded: one whose entries name none of the products asked (another
    shape, other ids) reads "unknown" for each (the watch then asks the download itself) and says so in the log."""
    sim = simulator_factory(start=dt.date(2023, 6, 1), end=dt.date(2023, 6, 30),
                            collections=("THEIA_REFLECTANCE_SENTINEL2_L2A",))
    g = provider(sim, "geodes")
    found = g.search(geodes_query(start=sim.config.start, end=sim.config.end))[:3]
    request = g.http.request

    def other_ids(*a, **k):
        data = request(*a, **k)
        for entry in data["products"]:
            entry["id"] = "product-" + str(entry["id"])[-8:]
        return data
    g.http.request = other_ids
    with caplog.at_level("WARNING", logger="sentinel_mirror"):
        assert set(g.availability(found).values()) == {Availability.UNKNOWN}
    assert "none of which names one of the 3 products asked for" in caplog.text


def test_geodes_sentinel1_is_grd_by_default_slc_on_request_with_upper_case_md5s_verified(simulator_factory, tmp_path):
    from plugin.core.download import download_product
    sim = simulator_factory(start=dt.date(2023, 7, 1), end=dt.date(2023, 7, 20), collections=("PEPS_S1_L1",))
    g = provider(sim, "geodes")
    query = dict(provider="geodes", collection="PEPS_S1_L1", tile="31TCJ", start=sim.config.start, end=sim.config.end)
    grd = g.search(SearchQuery(**query))
    slc = g.search(SearchQuery(**query, product_type="SLC"))
    both = g.search(SearchQuery(**query, product_type="any"))
    assert grd and {p.extra["product_type"] for p in grd} == {"GRD"}
    assert slc and {p.extra["product_type"] for p in slc} == {"SLC"} and len(both) == len(grd) + len(slc)
    assert min(p.size for p in slc) > 3 * max(p.size for p in grd)    # an SLC's size shows
    p = grd[0]
    assert p.download_url.rsplit("/", 1)[1].isupper() and p.checksum == p.checksum.lower()
    result = download_product(g.session, g.download_request(p), str(tmp_path / "s1.zip"), expected_size=p.size,
                              expected_md5=p.download_url.rsplit("/", 1)[1])   # upper case as GEODES writes it
    assert result.md5 == sim.product(p.id).md5


def test_geodes_redirect_loop_on_a_keyed_request_is_a_key_problem(simulator_factory, tmp_path):
    from plugin.core.download import download_product
    sim = simulator_factory(wrong_key_redirect_loop=True)
    g = provider(sim, "geodes", creds=Credentials(api_key="outdated"))
    found = g.search(geodes_query(start=dt.date(2023, 6, 1), end=dt.date(2023, 6, 30)))   # search needs no key
    with pytest.raises(AuthError, match="API key .*outdated or wrong"):
        g.availability(found)
    with pytest.raises(AuthError, match="API key .*outdated or wrong"):
        download_product(g.session, g.download_request(found[0]), str(tmp_path / "p.zip"))


def test_cdse_availability_batches_ids_and_reads_online(simulator_factory):
    sim = simulator_factory(**YEAR, cdse_offline_fraction=0.3, collections=("sentinel-2-l2a",))
    c = provider(sim, "cdse")
    found = c.search(cdse_query())
    states = c.availability(found)
    assert sim.stats.requests["cdse.availability"] == 4               # 73 ids, 20 a request
    assert states == _truth(sim)
    assert Availability.OFFLINE in states.values()
    assert c.offline_recall.state == "order in the CDSE Data Workspace"


def test_cdse_duplicate_baselines_keep_the_newest_unless_asked(simulator_factory):
    sim = simulator_factory(cdse_duplicate_baselines=0.5, collections=("sentinel-2-l2a",))
    listed = sim.products_of("cdse")
    older = set(OLDER_BASELINE.values())
    newest = [p for p in listed if p.title.split("_")[3][1:] not in older]
    assert len(listed) > len(newest) > 0                       # some acquisitions are listed twice
    found = provider(sim, "cdse").search(cdse_query(start=sim.config.start, end=sim.config.end))
    assert sorted(p.id for p in found) == sorted(p.id for p in newest)
    every = provider(sim, "cdse", keep_all_baselines=True).search(cdse_query(start=sim.config.start,
                                                                                 end=sim.config.end))
    assert len(every) == len(listed)


def test_cdse_two_factor_account_logs_in_with_the_one_time_code(simulator_factory):
    sim = simulator_factory(cdse_totp="428913", collections=("sentinel-2-l2a",))
    env = sim.env()
    user, password = env["SENTINEL_MIRROR_CDSE_USERNAME"], env["SENTINEL_MIRROR_CDSE_PASSWORD"]
    product = provider(sim, "cdse").search(cdse_query(start=sim.config.start, end=sim.config.end))[0]
    with pytest.raises(AuthError, match="two-factor"):
        provider(sim, "cdse", creds=Credentials(username=user, password=password)).download_request(product)
    ok = provider(sim, "cdse", creds=Credentials(username=user, password=password, totp="428913"))
    assert ok.download_request(product).headers["Authorization"].startswith("Bearer ")
    assert "totp" not in repr(Credentials(totp="428913")) or "428913" not in repr(Credentials(totp="428913"))


def test_cdse_product_without_size_or_checksum_is_verified_as_a_zip(simulator_factory, tmp_path):
    from plugin.core.models import ProductState
    from plugin.core.pipeline import PipelineOptions, run_pipeline
    sim = simulator_factory(cdse_no_checksum_fraction=1.0, collections=("sentinel-2-l2a",))
    c = provider(sim, "cdse")
    found = c.search(cdse_query(start=sim.config.start, end=sim.config.end))[:2]
    assert all(p.size is None and p.checksum is None for p in found)
    statuses = run_pipeline(c, found, str(tmp_path), options=PipelineOptions())
    assert all(s.state is ProductState.DONE and "no checksum" in s.reason for s in statuses)
    assert all(hashlib.md5(open(s.path, "rb").read()).hexdigest() == sim.product(s.product_id).md5 for s in statuses)


# --- failures ------------------------------------------------------------------------------------------
def test_5xx_is_retried_with_backoff_then_succeeds(simulator):
    sleeps = Sleeps()
    simulator.inject("503", endpoint="search", count=2, retry_after=3)
    found = provider(simulator, "geodes", sleeps).search(geodes_query(start=dt.date(2023, 6, 1),
                                                                      end=dt.date(2023, 6, 30)))
    assert found
    assert sleeps == [3, 3]               # Retry-After honoured (longer than the 1 s, 2 s backoff)
    assert simulator.stats.statuses[("geodes.search", 503)] == 2


def test_5xx_asking_for_a_long_wait_is_a_quota_error_not_a_quick_retry(simulator):
    sleeps = Sleeps()
    simulator.inject("503", endpoint="search", count=4, retry_after=3600)
    with pytest.raises(QuotaError) as e:
        provider(simulator, "geodes", sleeps).search(geodes_query())
    assert e.value.retry_after == 3600 and "60 min" in str(e.value)   # the caller knows when to come back
    assert sleeps == [] and simulator.stats.requests["geodes.search"] == 1   # and the service is not hammered


def test_persistent_5xx_becomes_a_remote_error_after_the_retries(simulator):
    sleeps = Sleeps()
    simulator.inject("500", endpoint="search", count=10)
    with pytest.raises(RemoteError, match="HTTP 500 after 4 attempts"):
        provider(simulator, "cdse", sleeps).search(cdse_query())
    assert sleeps == [1, 2, 4]
    assert simulator.stats.requests["cdse.search"] == 4


def test_timeouts_are_retried_then_reported(simulator):
    sleeps = Sleeps()
    simulator.inject("timeout", endpoint="search", count=4, delay_s=0.6)
    with pytest.raises(RemoteError, match="could not be reached.*ReadTimeout"):
        provider(simulator, "geodes", sleeps, policy=RetryPolicy(timeout=(2.0, 0.2))).search(geodes_query())
    assert len(sleeps) == 3


def test_429_is_a_quota_error_carrying_retry_after(simulator):
    simulator.inject("429", endpoint="search", retry_after=42)
    with pytest.raises(QuotaError) as e:
        provider(simulator, "geodes").search(geodes_query())
    assert e.value.retry_after == 42 and "429" in str(e.value)
    assert simulator.stats.requests["geodes.search"] == 1              # not hammered


def test_non_json_reply_is_quoted(simulator):
    simulator.inject("non_json", endpoint="search", body="<html><body>Maintenance until 14:00</body></html>")
    with pytest.raises(MalformedResponseError, match="not JSON.*Maintenance until 14:00"):
        provider(simulator, "cdse").search(cdse_query())


def test_json_without_the_promised_keys_is_quoted(simulator):
    simulator.inject("malformed", endpoint="search", body={"type": "FeatureCollection", "oops": 1})
    with pytest.raises(MalformedResponseError, match='without features.*"oops": 1'):
        provider(simulator, "geodes").search(geodes_query())


def test_geodes_bad_key_says_where_to_set_it(simulator):
    g = provider(simulator, "geodes", creds=Credentials(api_key="wrong"))
    found = g.search(geodes_query(start=dt.date(2023, 6, 1), end=dt.date(2023, 6, 30)))   # search needs no key
    with pytest.raises(AuthError, match="Settings → Options → Sentinel Mirror → GEODES authentication"):
        g.availability(found)
    with pytest.raises(AuthError, match="SENTINEL_MIRROR_GEODES_API_KEY"):
        provider(simulator, "geodes", creds=Credentials()).download_request(found[0])


def test_cdse_bad_password_says_where_to_set_it(simulator):
    c = provider(simulator, "cdse", creds=Credentials(username="someone", password="bad"))
    product = c.search(cdse_query(start=dt.date(2023, 6, 1), end=dt.date(2023, 6, 30)))[0]
    with pytest.raises(AuthError, match="CDSE authentication"):
        c.download_request(product)


class FakeClock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def test_cdse_token_is_refreshed_before_it_expires(simulator):
    clock = FakeClock()
    c = provider(simulator, "cdse", clock=clock)
    product = c.search(cdse_query(start=dt.date(2023, 6, 1), end=dt.date(2023, 6, 30)))[0]
    first = c.download_request(product).headers["Authorization"]
    assert c.download_request(product).headers["Authorization"] == first     # reused while fresh
    assert simulator.stats.grants == {"password": 1}
    clock.t += 600 - 30                     # 30 s before expiry (lifetime 600 s): inside the safety margin
    second = c.download_request(product)
    assert second.headers["Authorization"] != first
    assert simulator.stats.grants == {"password": 1, "refresh_token": 1}
    assert requests.get(second.url, headers=second.headers).status_code == 200


def test_cdse_401_mid_batch_is_fixed_by_refresh_credentials(simulator):
    c = provider(simulator, "cdse")
    product = c.search(cdse_query(start=dt.date(2023, 6, 1), end=dt.date(2023, 6, 30)))[0]
    req = c.download_request(product)
    simulator.inject("expire_token")
    assert requests.get(req.url, headers=req.headers).status_code == 401
    c.refresh_credentials()
    fresh = c.download_request(product)
    assert requests.get(fresh.url, headers=fresh.headers).status_code == 200
    assert simulator.stats.grants["refresh_token"] == 1


def test_cdse_parallel_downloads_refused_together_share_one_refresh(simulator):
    # 4 downloads in flight when the token expires: all get a 401, one refresh serves them all
    import threading
    c = provider(simulator, "cdse")
    product = c.search(cdse_query(start=dt.date(2023, 6, 1), end=dt.date(2023, 6, 30)))[0]
    barrier, fresh = threading.Barrier(4), []

    def download_thread():
        stale = c.download_request(product)
        barrier.wait()
        if threading.current_thread() is threads[0]:
            simulator.inject("expire_token")
        barrier.wait()
        assert requests.get(stale.url, headers=stale.headers).status_code == 401
        c.refresh_credentials()
        fresh.append(c.download_request(product))
    threads = [threading.Thread(target=download_thread) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(fresh) == 4 and len({r.headers["Authorization"] for r in fresh}) == 1
    assert requests.get(fresh[0].url, headers=fresh[0].headers).status_code == 200
    assert simulator.stats.grants == {"password": 1, "refresh_token": 1}


def test_cdse_logs_in_again_when_the_refresh_token_is_gone(simulator_factory):
    sim = simulator_factory(refresh_lifetime_s=0.0)
    c = provider(sim, "cdse")
    product = c.search(cdse_query(start=dt.date(2023, 6, 1), end=dt.date(2023, 6, 30)))[0]
    c.download_request(product)
    sim.inject("expire_token")
    c.refresh_credentials()
    fresh = c.download_request(product)
    assert requests.get(fresh.url, headers=fresh.headers).status_code == 200
    assert sim.stats.grants == {"password": 2}


# --- bad input: refused before any request --------------------------------------------------------------
@pytest.mark.parametrize("build,fix", [
    (lambda: geodes_query(start=dt.date(2023, 5, 1), end=dt.date(2023, 4, 1)), "before the start date"),
    (lambda: geodes_query(max_cloud=150), "between 0 and 100"),
    (lambda: geodes_query(collection="SENTINEL2_L9Z"), "choose one of"),
    (lambda: geodes_query(bbox=BBox(1.0, 43.0, 1.0, 44.0)), "extent is empty"),
    (lambda: geodes_query(bbox=BBox(-10.0, 35.0, 20.0, 60.0)), "limited to 100 square degrees"),
    (lambda: geodes_query(bbox=None, tile="hello"), "not a Sentinel-2 tile id"),
    (lambda: geodes_query(collection="PEPS_S1_L1", bbox=None, tile="31TZZ"), "31TZZ"),
    (lambda: cdse_query(), "cannot be sent to geodes"),
])
def test_bad_input_is_refused_before_any_request(simulator, build, fix):
    g = provider(simulator, "geodes")
    with pytest.raises(InvalidInputError, match=fix):
        g.search(build())
    assert simulator.stats.total() == 0


def test_a_tile_that_is_not_on_the_grid_is_refused_before_any_request(simulator):
    g = provider(simulator, "cdse")
    with pytest.raises(InvalidInputError):
        g.search(cdse_query(bbox=None, tile="31TZZ"))
    assert simulator.stats.total() == 0


def test_a_search_matching_too_many_products_asks_to_narrow_it(simulator_factory, monkeypatch):
    import plugin.core.providers.cdse as cdse_module
    import plugin.core.providers.common as common
    sim = simulator_factory(**YEAR, collections=("sentinel-2-l2a",))
    monkeypatch.setattr(common, "MAX_RESULTS", 50)
    monkeypatch.setattr(cdse_module, "MAX_RESULTS", 50)
    with pytest.raises(InvalidInputError, match="73 products.*narrow"):
        provider(sim, "cdse").search(cdse_query())
    assert sim.stats.requests["cdse.search"] == 1


def test_a_geodes_that_always_says_next_cannot_keep_the_search_paging_forever(simulator, monkeypatch):
    # a broken service: every page has new items and a "next" link, no count
    import json as json_mod
    import plugin.core.providers.common as common
    import plugin.core.providers.geodes as geodes_module
    monkeypatch.setattr(common, "MAX_RESULTS", 200)
    monkeypatch.setattr(geodes_module, "MAX_RESULTS", 200)
    g = provider(simulator, "geodes")
    real = g.http.session.request
    pages = []

    def endless(method, url, **kw):
        if not url.endswith("/api/stac/search"):
            return real(method, url, **kw)
        page = kw["json"]["page"]
        pages.append(page)
        body = real(method, url, **{**kw, "json": {**kw["json"], "page": 1}}).json()
        for k, f in enumerate(body["features"]):
            f["id"] = f"{f['id']}-p{page}-{k}"
        body["context"], body["links"] = {}, [{"rel": "next", "href": url}]
        r = requests.Response()
        r.status_code, r._content = 200, json_mod.dumps(body).encode()
        r.headers["Content-Type"] = "application/json"
        return r
    monkeypatch.setattr(g.http.session, "request", endless)
    with pytest.raises(InvalidInputError, match="narrow"):
        g.search(geodes_query())
    assert len(pages) < 50


# --- Sentinel-1: no tiles in the catalogues, a tile id becomes the tile's area -----------------------------
S1_COLLECTION = {"geodes": "PEPS_S1_L1", "cdse": "sentinel-1-grd"}


@pytest.mark.parametrize("name", ["geodes", "cdse"])
def test_sentinel1_tile_search_returns_the_slices_over_the_tile_once_with_orbits_and_polarisations(
        simulator_factory, name):
    sim = simulator_factory(**YEAR, tiles=("31TCJ", "33UUP"), collections=tuple(S1_COLLECTION.values()),
                            geodes_page_cap=15, cdse_page_cap=15, page_overlap=2)
    expected = {p.id: p for p in sim.products_of(name) if p.area_tile == "31TCJ" and p.product_type in (None, "GRD")}
    assert len(expected) == 61      # two tracks, S1A only in 2023 (S1B lost, S1C not launched): every 12 days
    query = SearchQuery(name, S1_COLLECTION[name], bbox=None, tile="T31TCJ", max_cloud=20, **YEAR)
    found = provider(sim, name).search(query)
    assert sorted(p.id for p in found) == sorted(expected)            # Vienna's slices (33UUP) are not
    assert sim.stats.count("search") >= 5
    for p in found:
        truth = expected[p.id]
        assert (p.title, p.platform, p.relative_orbit, p.acquired) == (
            truth.title, truth.platform, truth.relative_orbit, truth.acquired)
        assert p.tile is None and p.cloud_cover is None and p.kind.value == "s1"   # no cloud filter on radar
        assert p.extra["orbit_direction"] == truth.orbit_state and p.extra["polarisations"] == ("VV", "VH")
        assert p.size == truth.size and p.checksum == truth.md5
    assert {p.extra["orbit_direction"] for p in found} == {"ascending", "descending"}


def test_sentinel1_orbit_filter_and_extent_search(simulator_factory):
    sim = simulator_factory(**YEAR, collections=tuple(S1_COLLECTION.values()))
    orbit = next(p.relative_orbit for p in sim.products if p.orbit_state == "ascending")
    for name in ("geodes", "cdse"):
        found = provider(sim, name).search(SearchQuery(name, S1_COLLECTION[name], bbox=TOULOUSE,
                                                       relative_orbit=orbit, **YEAR))
        expected = {p.id for p in sim.products_of(name) if p.relative_orbit == orbit and p.product_type != "SLC"}
        assert len(expected) == 31 and {p.id for p in found} == expected
        assert {p.relative_orbit for p in found} == {orbit}
        assert {p.extra["orbit_direction"] for p in found} == {"ascending"}


def test_sentinel1_md5s_of_either_case_find_their_availability_and_verify_the_download(simulator_factory, tmp_path):
    """GEODES writes S1 MD5s upper case before S1_LOWER_MD5_FROM and lower case after (recorded): the plugin
    matches /fastavailability and checks the download whatever the case."""
    from plugin.core.models import ProductState
    from plugin.core.pipeline import PipelineOptions, run_pipeline
    from tests.simulator.catalogue import S1_LOWER_MD5_FROM
    sim = simulator_factory(start=S1_LOWER_MD5_FROM - dt.timedelta(days=13),
                            end=S1_LOWER_MD5_FROM + dt.timedelta(days=12), offline_fraction=0.5,
                            collections=("PEPS_S1_L1",), staging_delay_s=0.2)
    geodes = provider(sim, "geodes")
    radar = geodes.search(SearchQuery("geodes", "PEPS_S1_L1", bbox=None, tile="31TCJ", start=sim.config.start,
                                      end=sim.config.end))
    hrefs = {p.download_url.rsplit("/", 1)[1] for p in radar}
    assert {h == h.upper() for h in hrefs} == {True, False}           # both cases served
    assert {p.availability for p in radar} == {Availability.ONLINE, Availability.OFFLINE}
    for p in radar:
        assert p.availability is sim.product(p.id).availability and p.checksum == sim.product(p.id).md5
    sim.order()
    options = PipelineOptions(poll_interval_s=0.05, poll_interval_max_s=0.3, retry_backoff_s=0.05, watch_s=20.0)
    statuses = run_pipeline(geodes, radar, str(tmp_path), options=options)
    assert [s.state for s in statuses] == [ProductState.DONE] * len(radar), statuses


def test_sentinel1_downloads_and_verifies_then_ndvi_says_radar_while_optical_succeeds(simulator_factory, tmp_path):
    from plugin.core.ndvi_batch import compute_ndvi_batch
    from plugin.core.pipeline import PipelineOptions, run_pipeline
    from plugin.core.models import ProductState
    sim = simulator_factory(start=dt.date(2023, 7, 1), end=dt.date(2023, 7, 20), offline_fraction=0.5,
                            collections=("PEPS_S1_L1", "THEIA_REFLECTANCE_SENTINEL2_L2A"), staging_delay_s=0.2)
    geodes = provider(sim, "geodes")
    radar = geodes.search(SearchQuery("geodes", "PEPS_S1_L1", bbox=None, tile="31TCJ", start=sim.config.start,
                                      end=sim.config.end))
    optical = geodes.search(SearchQuery("geodes", "THEIA_REFLECTANCE_SENTINEL2_L2A", bbox=None, tile="31TCJ",
                                        start=sim.config.start, end=sim.config.end))[:2]
    assert len(radar) == 3 and len(optical) == 2
    sim.order()   # the user's request in the GEODES explorer for those on tape
    options = PipelineOptions(poll_interval_s=0.05, poll_interval_max_s=0.3, retry_backoff_s=0.05, watch_s=20.0)
    statuses = run_pipeline(geodes, radar + optical, str(tmp_path), options=options)
    assert [s.state for s in statuses] == [ProductState.DONE] * 5, statuses
    for s in statuses:
        assert hashlib.md5(open(s.path, "rb").read()).hexdigest() == sim.product(s.product_id).md5
    results, errors = compute_ndvi_batch([s.path for s in statuses], str(tmp_path / "ndvi"))
    assert sorted(r.product_id for r in results) == sorted(p.extra["file_name"][:-4] for p in optical)   # V4-0 zips
    assert [e[0] for e in errors] == [s.path for s in statuses[:3]]
    for _, message in errors:
        assert "Sentinel-1" in message or "radar" in message, message
