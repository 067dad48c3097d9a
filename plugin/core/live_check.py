""""Test connection" (Settings > Options > Sentinel Mirror): three small requests per service and one plain verdict.

GEODES: a one-item search (no key needed), a keyed one-byte ranged GET of that item's archive (the key is
checked: 206 accepted, 401/403 or a redirect loop refused; pyGeodes' troubleshooting page: "Exceeded 30
redirects" means an outdated or wrong key), then the item's availability (POST /fastavailability).
CDSE: a one-item OData search, a token request (password grant, plus the one-time code of a two-factor
account when given), then the item's availability (an OData query by Id).

No retries and short timeouts: the user is waiting for an answer, and a failure is the answer. The item's
archive is never downloaded (at most one byte).
"""
from dataclasses import dataclass

import requests

from .errors import AuthError, MalformedResponseError, QuotaError, RemoteError, SentinelMirrorError
from .i18n import join, tr
from .models import Availability
from .progress import NULL_PROGRESS, check_cancelled
from .providers import make_provider
from .providers.http import (RetryPolicy, check_credentials_transport, quote_body, send_following_redirects,
                             tls_failure_message)

TIMEOUT = (5.0, 20.0)          # connect, read: a test the user waits for
GEODES_COLLECTION = "THEIA_REFLECTANCE_SENTINEL2_L2A"   # recorded real items all say online: the 1-byte GET works
CDSE_COLLECTION = "sentinel-2-l2a"
FIX_ADDRESS = tr("check your network (proxy) or the address under Advanced below")
GEODES_NEW_KEY = tr("create a new key in your GEODES user settings (geodes-portal.cnes.fr) and store it in the "
                    "authentication configuration")
CDSE_FIX_LOGIN = tr("check the username (e-mail) and password in the authentication configuration; an account "
                    "with two-factor login also needs its one-time code")
_STATES = {Availability.ONLINE: tr("online"), Availability.OFFLINE: tr("on tape"),
           Availability.STAGING: tr("being restored"), Availability.UNKNOWN: tr("not reported")}


@dataclass(frozen=True)
class Verdict:
    service: str     # "GEODES" | "CDSE"
    ok: bool         # True when every step a download needs worked
    text: str        # one plain sentence, shown next to the button


class _Step(Exception):
    """A step failed: `text` is its part of the verdict; `fatal` stops the later steps (nothing to test them on)."""

    def __init__(self, text, fatal=False):
        super().__init__(text)
        self.text, self.fatal = text, fatal


def check_connection(provider_name, endpoints, credentials, session, progress=None, timeout=TIMEOUT):
    """The Verdict for "geodes" or "cdse" with these addresses, credentials and session. Raises Cancelled."""
    progress = progress or NULL_PROGRESS
    service = {"geodes": "GEODES", "cdse": "CDSE"}[provider_name]
    provider = make_provider(provider_name, endpoints, credentials, session,
                             policy=RetryPolicy(attempts=1, timeout=timeout))
    steps = _geodes_steps if provider_name == "geodes" else _cdse_steps
    parts, ok = [], True
    for step in steps(provider, credentials, timeout):
        check_cancelled(progress)
        try:
            parts.append(step())
        except _Step as failure:
            parts.append(failure.text)
            ok = False
            if failure.fatal:
                break
        progress.set(100.0 * len(parts) / 3)
    # "search OK, API key accepted, ..." when all went well; a failure is a sentence of its own, hence "; "
    return Verdict(service, ok, tr("{service}: {parts}.", service=service, parts=join(", " if ok else "; ", parts)))


def _network_failure(service, what, url, error):
    if isinstance(error, requests.exceptions.SSLError):
        return tls_failure_message(url, tr("the {service} {what}", service=service, what=what), error).rstrip(".")
    if isinstance(error, requests.TooManyRedirects):
        return tr("the {what} was redirected in a loop ({fix_address})", what=what, fix_address=FIX_ADDRESS)
    kind = tr("timed out") if isinstance(error, requests.Timeout) else tr("failed ({name})", name=type(error).__name__)
    return tr("not reachable: the {what} {kind}; {fix_address}", what=what, kind=kind, fix_address=FIX_ADDRESS)


def _http_failure(what, response):
    status = response.status_code
    if status == 429:
        return tr("the {what} was refused for quota (HTTP 429): wait a while and test again", what=what)
    if status >= 500:
        return tr("the {what} failed with a service error (HTTP {status}): the service has trouble; test again "
                  "later",
                  what=what, status=status)
    if status == 404:
        return tr("nothing answers the {what} at this address (HTTP 404): {fix_address}",
                  what=what, fix_address=FIX_ADDRESS)
    return tr("the {what} was refused (HTTP {status}): {response}",
              what=what, status=status, response=quote_body(response, 120))


def _call(service, what, url, send):
    """Run `send()`; a network failure or an unexpected status becomes a fatal _Step."""
    try:
        return send()
    except (requests.RequestException, OSError) as e:
        raise _Step(_network_failure(service, what, url, e), fatal=True) from None


def _first_item(data, key, service):
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise _Step(tr("the search answer is not a {service} catalogue ({fix_address})",
                       service=service, fix_address=FIX_ADDRESS), fatal=True)
    if not items:
        raise _Step(tr("search OK but it found no product to test the rest on"), fatal=True)
    return items[0]


def _json(response, service):
    try:
        return response.json()
    except ValueError:
        kind = response.headers.get("Content-Type", tr("no content type"))
        raise _Step(tr("the search answer is not JSON ({kind}), so this is not the {service} catalogue: "
                       "{fix_address}",
                       kind=kind, service=service, fix_address=FIX_ADDRESS), fatal=True) from None


def _availability_part(provider, product):
    try:
        state = provider.availability([product]).get(product.id, Availability.UNKNOWN)
    except QuotaError:
        raise _Step(tr("the availability request was refused for quota (HTTP 429): test again later")) from None
    except AuthError:
        raise _Step(tr("the availability request refused the credentials")) from None
    except MalformedResponseError as e:
        raise _Step(tr("the availability answer was not understood ({e})", e=e)) from None
    except RemoteError as e:
        raise _Step(tr("the availability request failed ({e})", e=e)) from None
    return tr("availability answered (1 item, {state})", state=_STATES.get(state, _STATES[Availability.UNKNOWN]))


def _one_item_search(service, url, send, list_key, parse, found):
    """The first step of each service: a one-item search whose product (found["product"]) the others use."""
    def search():
        response = _call(service, tr("search"), url, send)
        if response.status_code != 200:
            raise _Step(_http_failure(tr("search"), response), fatal=True)
        item = _first_item(_json(response, service), list_key, service)
        try:
            found["product"] = parse(item)
        except SentinelMirrorError as e:
            raise _Step(tr("the search answer was not understood ({e})", e=e), fatal=True) from None
        return tr("search OK")
    return search


# --- GEODES ------------------------------------------------------------------------------------------------------
def _geodes_steps(provider, credentials, timeout):
    found = {}
    base = provider.base
    search_url = f"{base}/api/stac/search"

    search = _one_item_search("GEODES", search_url, lambda: provider.session.post(
        search_url, json={"page": 1, "limit": 1, "collections": [GEODES_COLLECTION]}, timeout=timeout),
        "features", lambda item: provider.parse_feature(item, GEODES_COLLECTION), found)

    def key():
        if not credentials.api_key:
            raise _Step(tr("no API key chosen (searching works without one; downloads need it: choose or create "
                           "the authentication configuration above)"))
        try:   # the provider's own checks: https (or this computer) only, and only to the GEODES site
            request = provider.download_request(found["product"])
        except SentinelMirrorError as e:
            raise _Step(tr("the key was not sent: {reason}", reason=str(e).rstrip("."))) from None
        url = request.url
        try:
            response = send_following_redirects(provider.session, "GET", url, timeout=timeout, stream=True,
                                                headers={**request.headers, "Range": "bytes=0-0"})
        except requests.TooManyRedirects:
            raise _Step(tr("the API key was refused (GEODES redirected in a loop, its answer to an outdated or "
                           "wrong key): {geodes_new_key}",
                           geodes_new_key=GEODES_NEW_KEY)) from None
        except (requests.RequestException, OSError) as e:
            raise _Step(_network_failure("GEODES", tr("keyed request"), url, e)) from None
        response.close()
        status = response.status_code
        if status in (200, 206):
            return tr("API key accepted")
        if status in (401, 403):
            raise _Step(tr("the API key was refused ({status}): {geodes_new_key}",
                           status=status, geodes_new_key=GEODES_NEW_KEY))
        if status == 410 or 200 < status < 300:   # EODAG #1776: a GET of a tape (Tier-3) product answers 410
            return tr("API key not refused (the test product is not online: HTTP {status})", status=status)
        raise _Step(_http_failure(tr("keyed request"), response))

    def availability():
        return _availability_part(provider, found["product"])

    return search, key, availability


# --- CDSE --------------------------------------------------------------------------------------------------------
def _cdse_steps(provider, credentials, timeout):
    from .providers.cdse import password_grant

    found = {}
    search_url = f"{provider.base}/odata/v1/Products"

    params = {"$filter": "Collection/Name eq 'SENTINEL-2'", "$top": "1", "$orderby": "ContentDate/Start desc",
              "$expand": "Attributes"}
    search = _one_item_search("CDSE", search_url, lambda: provider.session.get(search_url, params=params,
                                                                                timeout=timeout),
                              "value", lambda item: provider.parse_entity(item, CDSE_COLLECTION), found)

    def token():
        if not credentials.username or not credentials.password:
            raise _Step(tr("no account chosen (searching works without one; downloads need it: choose or create "
                           "the authentication configuration above)"))
        url = provider.auth_url
        try:
            check_credentials_transport(url, "CDSE",
                                        tr("Use https in the CDSE token address under Advanced below."))
        except AuthError as e:
            raise _Step(str(e).rstrip(".")) from None
        form = password_grant(credentials.username, credentials.password, getattr(credentials, "totp", ""))
        try:
            response = provider.session.post(url, data=form, timeout=timeout, allow_redirects=False)
        except (requests.RequestException, OSError) as e:
            raise _Step(_network_failure("CDSE", tr("login"), url, e)) from None
        if response.status_code in (400, 401, 403):
            raise _Step(tr("the login was refused ({status_code}): {cdse_fix_login}",
                           status_code=response.status_code, cdse_fix_login=CDSE_FIX_LOGIN))
        if response.status_code != 200:
            raise _Step(_http_failure(tr("login"), response))
        try:
            ok = isinstance(response.json().get("access_token"), str)
        except (ValueError, AttributeError):
            ok = False
        if not ok:
            raise _Step(tr("the login answer holds no token ({fix_address})", fix_address=FIX_ADDRESS))
        return tr("login accepted (token received)")

    def availability():
        return _availability_part(provider, found["product"])

    return search, token, availability
