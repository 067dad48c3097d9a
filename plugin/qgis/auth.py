"""authcfg id -> Credentials, through the QGIS authentication database. MAIN THREAD ONLY.

How each catalogue's secret is stored (QGIS 3.22 has no "API header" auth method):
- GEODES: a **Basic** configuration whose *password* is the API key (the username is ignored; "apikey" is a
  good label). If the config uses the "APIHeader" method (QGIS >= 3.36), its X-API-Key header is used.
- CDSE: a **Basic** configuration with the account's username (e-mail) and password.
Headless fallbacks when no authcfg is chosen: SENTINEL_MIRROR_GEODES_API_KEY, SENTINEL_MIRROR_CDSE_USERNAME,
SENTINEL_MIRROR_CDSE_PASSWORD. Secrets never leave this module except inside a Credentials value (whose repr
hides them).
"""
import os

from qgis.core import QgsApplication, QgsAuthMethodConfig

from ..core.errors import AuthError, InvalidInputError
from ..core.providers.base import Credentials
from .i18n import tr

ENV_GEODES_KEY = "SENTINEL_MIRROR_GEODES_API_KEY"
ENV_CDSE_USER = "SENTINEL_MIRROR_CDSE_USERNAME"
ENV_CDSE_PASSWORD = "SENTINEL_MIRROR_CDSE_PASSWORD"
ENV_CDSE_TOTP = "SENTINEL_MIRROR_CDSE_TOTP"   # a one-time code is good for one login: headless runs only


def _load(authcfg):
    manager = QgsApplication.authManager()
    if manager.isDisabled():
        raise AuthError(tr("The QGIS authentication system is disabled (its database could not be opened): check "
                           "Settings > Options > Authentication."))
    if authcfg not in manager.configIds():
        raise AuthError(tr("The authentication configuration {authcfg!r} does not exist: choose another one in "
                           "Settings > Options > Sentinel Mirror.",
                           authcfg=authcfg))
    config = QgsAuthMethodConfig()
    if not manager.loadAuthenticationConfig(authcfg, config, True) or not config.isValid(True):
        raise AuthError(tr("The authentication configuration {authcfg!r} could not be decrypted: unlock the QGIS "
                           "master password and try again.",
                           authcfg=authcfg))
    return config


def _geodes_key(config):
    method = config.method()
    if method == "Basic":
        return config.config("password")
    if method == "APIHeader":
        for name, value in config.configMap().items():
            if name.lower() == "x-api-key":
                return value
        raise AuthError(tr("The authentication configuration {id!r} has no X-API-Key header.", id=config.id()))
    raise AuthError(tr("The authentication configuration {id!r} uses the {method} method: for GEODES use Basic "
                       "with the API key as the password.",
                       id=config.id(), method=method))


def credentials_for(provider, authcfg="", environ=None, totp=""):
    """Credentials for "geodes" or "cdse" from an authcfg id, else from the environment, else empty
    (searching GEODES needs no key; the provider raises AuthError when a secret is actually needed).
    `totp`: a CDSE two-factor account's one-time code for this login (else SENTINEL_MIRROR_CDSE_TOTP)."""
    environ = os.environ if environ is None else environ
    authcfg = (authcfg or "").strip()
    if provider == "geodes":
        if authcfg:
            key = _geodes_key(_load(authcfg)).strip()
            if not key:
                raise AuthError(tr("The authentication configuration {authcfg!r} has an empty password: put your "
                                   "GEODES API key there.",
                                   authcfg=authcfg))
            return Credentials(api_key=key)
        return Credentials(api_key=environ.get(ENV_GEODES_KEY, "").strip())
    if provider == "cdse":
        if authcfg:
            config = _load(authcfg)
            if config.method() != "Basic":
                raise AuthError(tr("The authentication configuration {authcfg!r} uses the {method} method: for "
                                   "CDSE use Basic with your username and password.",
                                   authcfg=authcfg, method=config.method()))
            return Credentials(username=config.config("username"), password=config.config("password"),
                               totp=(totp or environ.get(ENV_CDSE_TOTP, "")).strip())
        return Credentials(username=environ.get(ENV_CDSE_USER, ""), password=environ.get(ENV_CDSE_PASSWORD, ""),
                           totp=(totp or environ.get(ENV_CDSE_TOTP, "")).strip())
    raise InvalidInputError(tr("Unknown provider {provider!r}: choose geodes or cdse.", provider=provider))
