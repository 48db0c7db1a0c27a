"""The book builds, executed, with warnings as errors, and publishes no solution or reference.

The build itself is the session fixture ``site`` (tests/conftest.py), shared with the
browser tests of tests/test_site.py.
"""
import html as html_module
import re

import pytest

from tests.conftest import ROOT

from tests.test_release import ASSIGNMENTS, SECRETS, normalized, solution_lines

CHAPTERS = sorted(p.stem for p in (ROOT / "book").glob("[0-9][0-9]_*.md"))


def test_every_chapter_is_in_the_table_of_contents():
    toc = (ROOT / "_toc.yml").read_text()
    assert CHAPTERS and all(f"book/{c}" in toc for c in CHAPTERS)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_chapter_page_has_executed_figures(site, chapter):
    html = (site / "book" / f"{chapter}.html").read_text()
    images = re.findall(r'<img[^>]+src="([^"]+)"', html)
    assert len(images) >= 3, f"{chapter} shows {len(images)} images"
    for src in images:
        assert (site / "book" / src).resolve().exists(), src
    assert "Traceback" not in html and "NotImplementedError" not in html


def test_the_site_holds_no_solution_hidden_test_or_reference(site):
    reference = set()
    for path in (ROOT / "grading" / "reference").glob("*.py"):
        lines = [line for line in normalized(path.read_text()).splitlines()
                 if not line.startswith(("#", '"""', "``"))]
        reference |= {f"{a}\n{b}" for a, b in zip(lines, lines[1:]) if len(a) > 20 and len(b) > 20}
    secrets = reference.union(*(solution_lines(a) for a in ASSIGNMENTS))
    for page in site.rglob("*.html"):
        raw = page.read_text(errors="replace")
        for secret in SECRETS:
            assert secret not in raw, (page, secret)
        text = normalized(html_module.unescape(re.sub(r"<[^>]+>", "", raw)))
        leaked = [pair for pair in secrets if pair in text]
        assert not leaked, (page.name, leaked[:3])
    assert not list(site.rglob("solutions")) and not list(site.rglob("grading"))
