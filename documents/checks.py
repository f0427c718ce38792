"""A system check: PDFs need a CJK font, or WeasyPrint silently prints Chinese as empty boxes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from django.core import checks

# Debian's fonts-noto-cjk (the setup installs it: apt-get install fonts-noto-cjk).
FONT_FILES = (
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)


def has_cjk_font(paths=FONT_FILES, fc_list: str | None = "fc-list") -> bool:
    if any(path.exists() for path in paths):
        return True
    if fc_list and (binary := shutil.which(fc_list)):
        found = subprocess.run([binary, ":lang=zh", "family"], capture_output=True, text=True, timeout=10).stdout
        return bool(found.strip())
    return False


@checks.register("documents")
def cjk_font_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if has_cjk_font():
        return []
    return [
        checks.Warning(
            "No CJK font found: generated PDFs would print Chinese as empty boxes.",
            hint="Install Debian's fonts-noto-cjk (apt-get install --no-install-recommends fonts-noto-cjk).",
            id="documents.W001",
        )
    ]
