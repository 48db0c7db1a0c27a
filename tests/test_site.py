"""The published site, served on loopback and visited page by page in a real Chromium.

A learner reads the course online on a first visit, possibly behind a network that
reaches nothing else: every page must render from the site alone. The browser blocks
every request that leaves loopback and records it, so a script, font or formula fetched
from a CDN fails the test instead of silently working on a connected machine.
"""
from __future__ import annotations

import functools
import html as html_module
import http.server
import json
import re
import threading
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser import chromium
from tests.conftest import ROOT

CHAPTERS = sorted(p.stem for p in (ROOT / "book").glob("[0-9][0-9]_*.md"))
MAX_PAGE_BYTES = 3 * 1024 * 1024  # a page and its images


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(site):
    """The built site on a free loopback port; yields its base URL."""
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def pages(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html")
                  if not p.relative_to(site).parts[0].startswith("_"))


def visit(browser, url: str):
    """Open ``url``; returns (page, problems) once the page and its mathematics are done.

    ``problems`` lists JavaScript errors, console errors, requests that left loopback and
    local files that answered with an error status.
    """
    context = browser.new_context()
    problems: list[str] = []

    def route(route):
        host = urlparse(route.request.url).hostname
        if host == "127.0.0.1" or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            problems.append(f"request left the site: {route.request.url}")
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(120_000)  # a loaded machine (the whole suite at once) is slow, not broken
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    page.on("console", lambda msg: msg.type == "error" and problems.append(f"console error: {msg.text}"))
    page.on("response", lambda response: response.status >= 400
            and not response.url.endswith("/favicon.ico")
            and problems.append(f"{response.status} for {response.url}"))
    page.goto(url, wait_until="load")
    # MathJax typesets after load; wait for it when the page loaded it.
    page.wait_for_function("!window.MathJax || (MathJax.startup && MathJax.startup.promise)")
    page.evaluate("window.MathJax ? MathJax.startup.promise.then(() => true) : true")
    return page, problems


def test_every_page_renders_from_the_site_alone(site, server, browser):
    visited = pages(site)
    assert "index.html" in visited and all(f"book/{c}.html" in visited for c in CHAPTERS)
    failures = {}
    for name in visited:
        page, problems = visit(browser, server + name)
        page.context.close()
        if problems:
            failures[name] = problems
    assert not failures, json.dumps(failures, indent=1)[:4000]


def test_mathematics_is_typeset_on_every_page_that_has_it(site, server, browser):
    with_math = [name for name in pages(site)
                 if 'class="math notranslate nohighlight"' in (site / name).read_text()]
    assert all(f"book/{c}.html" in with_math for c in CHAPTERS)
    for name in with_math:
        page, problems = visit(browser, server + name)
        formulas = page.locator(".math").count()
        typeset = page.locator(".math mjx-container").count()
        errors = page.locator("mjx-merror").all_inner_texts()
        page.context.close()
        assert formulas and typeset == formulas, f"{name}: {typeset} of {formulas} formulas typeset"
        assert not errors, f"{name}: TeX errors {errors[:5]}"
        assert not problems, problems


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_chapter_shows_its_figures_with_alt_text(server, browser, chapter):
    page, problems = visit(browser, server + f"book/{chapter}.html")
    images = page.eval_on_selector_all(
        "article img", "els => els.map(e => [e.getAttribute('src'), e.getAttribute('alt') || '',"
                       " e.complete && e.naturalWidth > 0])")
    page.context.close()
    assert not problems, problems
    assert len(images) >= 3, f"{chapter} shows {len(images)} figures"
    broken = [src for src, _, loaded in images if not loaded]
    assert not broken, f"{chapter}: images that did not load: {broken}"
    # Without alt text Sphinx writes the file name as alt; a screen reader would read a hash.
    missing = [src for src, alt, _ in images
               if len(alt.split()) < 4 or re.search(r"\.(png|jpe?g|svg|gif)$", alt)]
    assert not missing, f"{chapter}: {len(missing)} of {len(images)} figures lack alt text: {missing[:3]}"


def test_no_page_weighs_more_than_3_mb_with_its_images(site):
    for name in pages(site):
        path = site / name
        html = path.read_text(errors="replace")
        images = {src for src in re.findall(r'<img[^>]+src="([^"]+)"', html) if "://" not in src}
        size = path.stat().st_size + sum((path.parent / src).resolve().stat().st_size for src in images)
        assert size <= MAX_PAGE_BYTES, f"{name}: {size / 1e6:.1f} MB with {len(images)} images"


@pytest.mark.parametrize("chapter", [c for c in CHAPTERS if (ROOT / "assignments" / c).is_dir()])
def test_each_chapter_links_its_released_assignment(server, browser, chapter):
    page, problems = visit(browser, server + f"book/{chapter}.html")
    links = page.eval_on_selector_all("a.download", "els => els.map(e => e.href)")
    launch = page.eval_on_selector_all("a[href*='mybinder.org']", "els => els.map(e => e.href)")
    released = ROOT / "assignments" / chapter / f"{chapter}.ipynb"
    notebooks = [link for link in links if link.endswith(f"/{released.name}")]
    assert notebooks, f"{chapter} links no download of {released.name}; links: {links}"
    response = page.request.get(notebooks[0])
    body = response.body()
    page.context.close()
    assert not problems, problems
    assert response.ok and body == released.read_bytes(), \
        f"{notebooks[0]} is not the released assignments/{chapter}/{released.name}"
    assert any(f"book/{chapter}.md" in link for link in launch), \
        f"{chapter} has no Binder launch button: {launch}"


def words(html: str) -> set[str]:
    main = html.split('<article', 1)[-1]
    text = html_module.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)))
    return {w.lower() for w in re.findall(r"\b[A-Za-z]{8,}\b", text)}


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_search_finds_a_chapter_by_a_word_in_it(site, server, browser, chapter):
    # A word of this chapter that no other page uses: the search must lead to this chapter.
    vocabulary = {name: words((site / name).read_text()) for name in pages(site)}
    elsewhere = Counter(w for name, ws in vocabulary.items() if name != f"book/{chapter}.html" for w in ws)
    own = sorted(w for w in vocabulary[f"book/{chapter}.html"] if not elsewhere[w])
    assert own, f"{chapter} has no word of its own"
    word = own[len(own) // 2]
    page, problems = visit(browser, server + f"search.html?q={word}")
    page.wait_for_selector("ul.search li a")
    results = page.eval_on_selector_all("ul.search li a", "els => els.map(e => e.getAttribute('href'))")
    page.context.close()
    assert not problems, problems
    assert any(f"{chapter}.html" in href for href in results), f"searching {word!r} gave {results}"
