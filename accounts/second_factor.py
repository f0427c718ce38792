"""The second factor (TOTP, RFC 6238) that reviewers and admins enter after their password (django-otp).

A user has at most one confirmed TOTPDevice. Its secret is chosen on the enrolment page, kept in the session
until the user proves with a code that their authenticator app holds it, and only then saved (confirmed).
"""

from __future__ import annotations

import time
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote, urlencode

import segno
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from accounts.enums import Role

ISSUER = "OneX"
DEVICE_NAME = "authenticator"
TOLERANCE = 1  # the code of the step before and after also pass, for clocks a little off (django-otp's default)


def needs_second_factor(user) -> bool:
    return bool(user.is_authenticated and user.role in Role.second_factor_roles())


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def new_key() -> str:
    """A fresh secret (hex, 20 random bytes), as django-otp stores it."""
    return default_key()


def key_base32(key: str) -> str:
    """The secret as authenticator apps take it when typed in (RFC 4648 base32, no padding)."""
    return b32encode(unhexlify(key)).decode().rstrip("=")


def config_url(user, key: str) -> str:
    """The otpauth:// address the QR code carries (Google Authenticator's key URI format)."""
    label = quote(f"{ISSUER}:{user.get_username()}")
    params = urlencode({"secret": key_base32(key), "issuer": ISSUER, "algorithm": "SHA1", "digits": 6, "period": 30})
    return f"otpauth://totp/{label}?{params}"


def qr_svg(url: str) -> str:
    """The QR code of `url` as an inline <svg> element (no style attribute, no script: CSP-safe)."""
    return segno.make(url, error="m").svg_inline(scale=4, svgclass="border", title="QR")


def match_step(key: str, code: str) -> tuple[int, int] | None:
    """The (time step, drift) at which `code` is the code of `key` now, within TOLERANCE; None if it is not."""
    code = code.strip()
    if not (code.isascii() and code.isdigit()):
        return None
    totp = TOTP(unhexlify(key))
    totp.time = time.time()
    if not totp.verify(int(code), tolerance=TOLERANCE):
        return None
    return totp.t(), totp.drift
