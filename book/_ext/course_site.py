"""Two fixes to the pages Jupyter Book writes, applied as each page is rendered.

* Jupyter Book 1 registers some extensions' inline scripts twice (sphinx-thebe's
  ``const THEBE_JS_URL = ...``, sphinx-togglebutton's selector): the second ``const``
  is a JavaScript error on every page. Identical scripts are kept once.
* MyST-NB embeds the executed notebook's ipywidgets state in the page. The site loads
  no widget JavaScript (an explorer is shown by its static PNG, see _config.yml), so the
  state is dead weight: for an explorer it holds the figure's PNG a second time.
"""
from __future__ import annotations

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _key(script) -> tuple:
    attributes = getattr(script, "attributes", {}) or {}
    # An inline script has no file name: None from some extensions, "" from others.
    return str(getattr(script, "filename", script) or ""), tuple(sorted((k, str(v)) for k, v in attributes.items()))


def tidy_scripts(app, pagename, templatename, context, doctree) -> None:
    seen, kept = set(), []
    for script in context.get("script_files", []):
        if (getattr(script, "attributes", {}) or {}).get("type") == WIDGET_STATE:
            continue
        key = _key(script)
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"][:] = kept


def setup(app):
    # After the extensions that add scripts to the page context.
    app.connect("html-page-context", tidy_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
