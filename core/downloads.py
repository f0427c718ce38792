"""Download names: the notice's file names, made safe for every browser and file system.

The notice names the e-mails "单位名称+2022年证书申报" and "单位名称+2022年证书调整申请"; the
files carry the same stem, plus which attachment they are. `Content-Disposition` carries the
name twice (RFC 6266): an ASCII `filename=` for old clients and the UTF-8 `filename*=`. Clients that
read only `filename=` (curl -J, some mail gateways and download managers) get the name in pinyin
(ShiLiXueXiao2027NianZhengShuShenBao.xlsx), never a bare year or "document".
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponse
from pypinyin import Style, lazy_pinyin

from core.text import strip_format

MAX_NAME_CHARS = 120
# Control characters, path separators and what Windows refuses in a file name.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_EXTENSION = re.compile(r"(.*)\.([A-Za-z0-9]{1,10})", re.S)
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(1, 10)} | {f"LPT{i}" for i in range(1, 10)}


def safe_filename(name: str, *, default: str = "document") -> str:
    """`name` without path parts or characters a file system refuses; Chinese, spaces and punctuation stay."""
    name = strip_format(unicodedata.normalize("NFC", name))  # U+202E would show "gpj.exe" as "exe.jpg"
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    match = _EXTENSION.fullmatch(name)
    stem, ext = (match.group(1).strip(" ."), match.group(2)) if match else (name, "")
    stem = stem[:MAX_NAME_CHARS].strip(" .") or default
    if stem.upper() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    return f"{stem}.{ext}" if ext else stem


def _stem(institution_name: str, year: int, what: str, part: str) -> str:
    return f"{institution_name}{year}年{what}" + (f"-{part}" if part else "")


def application_filename(institution_name: str, year: int, ext: str, *, part: str = "") -> str:
    """`{单位名称}{年}年证书申报[-part].ext`, e.g. 示例学校2027年证书申报-附件2校级汇总表.xlsx."""
    return safe_filename(f"{_stem(institution_name, year, '证书申报', part)}.{ext}")


def adjustment_filename(institution_name: str, year: int, ext: str, *, part: str = "") -> str:
    """`{单位名称}{年}年证书调整申请[-part].ext`."""
    return safe_filename(f"{_stem(institution_name, year, '证书调整申请', part)}.{ext}")


def pinyin(text: str) -> str:
    """Chinese characters as capitalised pinyin syllables (示例学校 → ShiLiXueXiao); other text unchanged."""
    return "".join(part[:1].upper() + part[1:] for part in lazy_pinyin(text, style=Style.NORMAL))


def ascii_fallback(filename: str) -> str:
    """An ASCII stand-in for clients that ignore `filename*`: Chinese in pinyin, unsafe runs become "_"."""
    ascii_name = unicodedata.normalize("NFKD", pinyin(filename)).encode("ascii", "ignore").decode("ascii")
    stem, dot, ext = ascii_name.rpartition(".")
    if not dot:
        stem, ext = ascii_name, ""
    stem = re.sub(r"[^A-Za-z0-9.-]+", "_", stem).strip("._-") or "document"
    ext = re.sub(r"[^A-Za-z0-9]+", "", ext)
    return f"{stem}.{ext}" if ext else stem


def content_disposition(filename: str, *, attachment: bool = True) -> str:
    """`attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266 / RFC 8187)."""
    filename = safe_filename(filename)
    kind = "attachment" if attachment else "inline"
    return f"{kind}; filename=\"{ascii_fallback(filename)}\"; filename*=UTF-8''{quote(filename, safe='')}"


def attach(response, filename: str):
    """Mark `response` as a download named `filename`; returns it."""
    response["Content-Disposition"] = content_disposition(filename)
    return response


def private(response):
    """Generated papers hold an institution's data: never cached, never sniffed."""
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def download(content: bytes, filename: str, content_type: str):
    """A private download of `content` named `filename`, for the pages and the API alike."""
    return private(attach(HttpResponse(content, content_type=content_type), filename))
