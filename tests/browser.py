"""A real headless Chromium for tests and benchmarks that look at pages.

Debian's ``chromium`` package, driven by Playwright through ``executable_path``
(Playwright's own browser download needs the internet, which a course machine may not
have). ``CHROMIUM`` overrides the path.
"""
from __future__ import annotations

import contextlib
import os
import shutil

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@contextlib.contextmanager
def chromium():
    """Yield a launched headless browser; fails with a clear message when Chromium is missing."""
    if not os.path.exists(CHROMIUM):
        raise RuntimeError(
            f"expected Debian's chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM=path)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            yield browser
        finally:
            browser.close()
