"""Explorers: sliders that drive one persistent figure.

``Explorer`` is the builder. It takes the controls (ipywidgets), a ``setup(fig)`` that
creates the axes and artists once, and an ``update(artists, **values)`` that moves them.
The functions an explorer runs (a gradient-descent loop, an update rule) are arguments,
so the book passes its own teaching code and an assignment passes the learner's.

When a learner's function raises or returns the wrong shape, the explorer shows the
message in place of the figure and keeps working: the next slider move tries again.

A redraw costs only what changed. Artists that move with the sliders are marked
*animated* (``artist.set_animated(True)``): matplotlib then leaves them out of a full
draw and does not mark the figure stale when they change. When only animated artists
changed, the explorer restores the cached background and draws just those artists over
it (blitting); when anything else changed (new contours, new axis limits) the figure is
drawn in full once and the background cached again. The frame goes to the browser as a
quickly compressed PNG in an ``ipywidgets.Image``; ipywidgets sends the next slider value
only after the kernel has answered the previous one, so a fast drag coalesces into the
latest value instead of queueing stale frames (``benchmarks/explorers.py`` measures it).

Outside a live kernel (the static site) an explorer shows its figure for the default
settings as a PNG.

Defined in chapter 1 (gradient descent).
"""
from __future__ import annotations

import contextlib
import io
import traceback
from typing import Callable

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, NullLocator
from PIL import Image

from . import landscapes as ls
from . import plotting


class Explorer:
    """Controls that redraw one figure in place."""

    blit = True  # False draws the whole figure on every change (benchmarks/explorers.py compares)

    def __init__(self, controls: dict, setup: Callable, update: Callable, *,
                 figsize=(10, 4), title: str = "", dpi: int = 80):
        self.controls = dict(controls)
        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        self.canvas = FigureCanvasAgg(self.figure)
        self.artists = setup(self.figure)
        self._update = update
        self.error: str | None = None
        self._held = False
        self._background = None  # the last full draw, without the animated artists
        self._animated: list = []
        self.redraws = 0  # frames sent, and how many of them needed a full draw
        self.full_draws = 0
        self.image = widgets.Image(format="png")
        self.message = widgets.HTML(layout=widgets.Layout(display="none"))
        header = [widgets.HTML(f"<b>{title}</b>")] if title else []
        self.widget = widgets.VBox(
            header + [widgets.HBox(list(self.controls.values()),
                                   layout=widgets.Layout(flex_flow="row wrap")),
                      self.message, self.image])
        self.widget.add_class("trainlab-explorer")
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.redraw()

    @property
    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values) -> None:
        """Move controls as a learner would (each move redraws)."""
        for name, value in values.items():
            self.controls[name].value = value

    @contextlib.contextmanager
    def hold(self):
        """Move several controls with a single redraw at the end."""
        self._held = True
        try:
            yield
        finally:
            self._held = False
            self.redraw()

    def _on_change(self, change) -> None:
        if not self._held:
            self.redraw()

    def redraw(self) -> None:
        try:
            with np.errstate(all="ignore"):  # divergence is a lesson here, not a warning
                self._update(self.artists, **self.values)
        except Exception as error:  # a learner's function failed: say so, keep going
            self._show_error(error)
            return
        self.error = None
        self.message.layout.display = "none"
        self.image.layout.display = None
        self.image.value = self.frame()
        self.redraws += 1

    def frame(self) -> bytes:
        """The figure as PNG bytes, drawing only what changed since the last frame."""
        if self._background is None or self.figure.stale or not self.blit:
            self.canvas.draw()  # everything but the animated artists
            if self.full_draws == 0:  # lay out once: later frames keep the axes where they are
                self.figure.set_layout_engine("none")
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
            self._animated = sorted(self.figure.findobj(lambda a: a.get_animated() and a is not self.figure),
                                    key=lambda a: a.get_zorder())
            self.full_draws += 1
        else:
            self.canvas.restore_region(self._background)
        for artist in self._animated:
            if artist.get_visible():
                self.figure.draw_artist(artist)
        rgb = np.asarray(self.canvas.buffer_rgba())[..., :3]
        buffer = io.BytesIO()
        Image.fromarray(rgb).save(buffer, format="png", compress_level=1)  # speed over size
        return buffer.getvalue()

    def _show_error(self, error: Exception) -> None:
        frames = traceback.extract_tb(error.__traceback__)
        where = f" (in {frames[-1].name}, line {frames[-1].lineno})" if frames else ""
        self.error = f"{type(error).__name__}: {error}{where}"
        self.message.value = (
            "<div style='border-left:4px solid #c0392b;padding:6px 10px;background:#fdecea'>"
            f"<b>The explorer could not draw this setting.</b><br><code>{_escape(self.error)}</code></div>")
        self.message.layout.display = None
        self.image.layout.display = "none"

    STATIC_NOTE = "Default settings shown. Run this notebook in JupyterLab or Notebook 7 to drag the sliders."

    def png(self, note: str | None = None) -> bytes:
        """The whole figure as a PNG (for the static site), with ``note`` in a strip below it."""
        buffer = io.BytesIO()
        extra = []
        if note:
            extra.append(self.figure.text(0.01, -0.01, note, ha="left", va="top", fontsize=9,
                                          style="italic", color="0.35"))
        try:
            self.figure.savefig(buffer, format="png", dpi=self.figure.dpi, bbox_inches="tight",
                                bbox_extra_artists=extra, pad_inches=0.05) if note else \
                self.figure.savefig(buffer, format="png", dpi=self.figure.dpi)
        finally:
            for artist in extra:
                artist.remove()
        self._background = None  # saving drew over the canvas: the next frame starts afresh
        return buffer.getvalue()

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        # The static site has no kernel: it shows the figure for the current settings.
        if self.error is None:
            bundle["image/png"] = self.png(note=self.STATIC_NOTE)
        else:
            bundle["text/plain"] = self.error
        return bundle


def animate(*artists) -> None:
    """Mark artists that move with the sliders: a redraw then blits them alone."""
    for artist in artists:
        artist.set_animated(True)


def set_title(ax, text: str) -> None:
    """Change an axes title without touching anything else (``Axes.set_title`` marks the figure stale)."""
    if ax.title.get_text() != text:
        ax.title.set_text(text)


def set_limits(ax, x=None, y=None) -> None:
    """Set axis limits only when they differ: a change of limits costs a full redraw."""
    if x is not None and tuple(ax.get_xlim()) != tuple(map(float, x)):
        ax.set_xlim(x)
    if y is not None and tuple(ax.get_ylim()) != tuple(map(float, y)):
        ax.set_ylim(y)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def as_path(result, num_steps: int, dim: int, name: str) -> np.ndarray:
    """Check that ``result`` is a trajectory of ``num_steps + 1`` points in ``dim`` dimensions."""
    path = np.asarray(result, dtype=float)
    expected = (num_steps + 1, dim)
    if path.shape != expected:
        raise ValueError(f"{name} returned shape {path.shape}; expected {expected}: "
                         f"the start point and one point per step")
    return path


def lr_slider(value: float, low: float = 1e-3, high: float = 3.0, description: str = "lr"):
    """A log-scale learning-rate slider."""
    return widgets.FloatLogSlider(value=value, base=10, min=np.log10(low), max=np.log10(high),
                                  step=0.02, description=description, readout_format=".3g",
                                  continuous_update=True)


CURVES = {"parabola": ls.parabola, "double well": ls.double_well, "wavy bowl": ls.wavy}


def gradient_descent_1d(gradient_descent: Callable, *, curve: str = "parabola", lr: float = 0.3,
                        x0: float = 2.5, num_steps: int = 10) -> Explorer:
    """Drag the learning rate and the start: the Taylor model at the start, the first step, the path.

    ``gradient_descent(grad, x0, lr, num_steps)`` must return the ``num_steps + 1`` points
    visited, starting with ``x0`` (an array of shape ``(1,)`` here).
    """

    def setup(fig):
        ax, ax_loss = fig.subplots(1, 2, width_ratios=[3, 2])
        a = {"ax": ax, "ax_loss": ax_loss}
        a["curve"], = ax.plot([], [], color="black", linewidth=1.5, label="$f$")
        a["linear"], = ax.plot([], [], "--", color="tab:blue", label="first-order model")
        a["quadratic"], = ax.plot([], [], ":", color="tab:green", linewidth=2, label="second-order model")
        a["path"], = ax.plot([], [], "o-", color="tab:red", markersize=4, linewidth=1, label="path")
        a["step"] = ax.annotate("", xy=(0, 0), xytext=(0, 0),
                                arrowprops=dict(arrowstyle="->", color="tab:blue", linewidth=2))
        ax.legend(loc="upper center", fontsize=8)
        ax.set_xlabel("$x$")
        ax.set_ylabel("$f(x)$")
        a["loss"], = ax_loss.plot([], [], "o-", color="tab:red", markersize=3)
        ax_loss.set_xlabel("step $t$")
        ax_loss.set_ylabel("$f(x_t)$")
        animate(a["linear"], a["quadratic"], a["path"], a["step"], a["loss"], ax.title, ax_loss.title)
        return a

    def update(a, curve, lr, x0, num_steps):
        fn = CURVES[curve]()
        xs = np.linspace(*fn.xlim, 400)
        ys = fn.f(xs)
        pad = 0.15 * (ys.max() - ys.min())
        if a.get("shown") != curve:  # the function itself is redrawn only when it changes
            a["curve"].set_data(xs, ys)
            a["shown"] = curve
        slope, bend = float(fn.df(np.array(x0))), float(fn.d2f(np.array(x0)))
        f0 = float(fn.f(np.array(x0)))
        a["linear"].set_data(xs, f0 + slope * (xs - x0))
        a["quadratic"].set_data(xs, f0 + slope * (xs - x0) + 0.5 * bend * (xs - x0) ** 2)
        x1 = x0 - lr * slope
        a["step"].xy = (x1, f0 - lr * slope**2)
        a["step"].set_position((x0, f0))
        path = as_path(gradient_descent(fn.grad, np.array([x0], dtype=float), lr, num_steps),
                       num_steps, 1, "gradient_descent")[:, 0]
        path = plotting.finite_or_nan(path)
        a["path"].set_data(path, plotting.finite_or_nan(fn.f(path)))
        ax = a["ax"]
        set_limits(ax, x=fn.xlim, y=(ys.min() - pad, ys.max() + pad))
        set_title(ax, f"{fn.name}: first step to x = {x1:.3g}")
        losses = plotting.finite_or_nan(fn.f(path))
        a["loss"].set_data(np.arange(path.size), losses)
        # The loss axis spans the function's values on the plotted range, as the left panel
        # does: a move of lr or x0 never changes a limit, so it is blitted. A path that
        # leaves the range runs off the top (and the title says when it diverged).
        set_limits(a["ax_loss"], x=(-0.5, num_steps + 0.5), y=(ys.min() - pad, ys.max() + pad))
        diverged = "  (diverged)" if np.isnan(path).any() else ""
        set_title(a["ax_loss"], f"$f(x_t)$ over {num_steps} steps{diverged}")

    lim = CURVES[curve]().xlim
    controls = {
        "curve": widgets.Dropdown(options=list(CURVES), value=curve, description="function"),
        "lr": lr_slider(lr, 1e-2, 3.0),
        "x0": widgets.FloatSlider(value=x0, min=lim[0], max=lim[1], step=0.05, description="start x0"),
        "num_steps": widgets.IntSlider(value=num_steps, min=1, max=50, description="steps"),
    }
    built = {}

    def new_curve(change):  # registered first: the start's range follows the function
        low, high = CURVES[change["new"]]().xlim
        with built["explorer"].hold():
            slider = controls["x0"]
            value = min(max(slider.value, low), high)
            slider.min, slider.max = min(low, slider.min), max(high, slider.max)
            slider.value = value
            slider.min, slider.max = low, high

    controls["curve"].observe(new_curve, names="value")
    built["explorer"] = Explorer(controls, setup, update, title="Gradient descent in one dimension")
    return built["explorer"]


LANDSCAPES = {"ill-conditioned quadratic": ls.quadratic, "Rosenbrock": ls.rosenbrock,
              "saddle": ls.saddle, "Beale": ls.beale}


def _landscape_setup(labels: dict):
    """A ``setup`` with contours on the left and loss gaps on the right, one path per label."""

    def setup(fig):
        ax, ax_loss = fig.subplots(1, 2, width_ratios=[3, 2])
        a = {"ax": ax, "ax_loss": ax_loss, "name": None, "paths": {}, "losses": {}}
        for label, color in labels.items():
            a["paths"][label], = ax.plot([], [], "o-", color=color, markersize=3, linewidth=1.2,
                                         zorder=6, label=label)
            a["losses"][label], = ax_loss.plot([], [], color=color, label=label)
        ax_loss.set_yscale("log")
        ax_loss.yaxis.set_major_locator(LogLocator(numticks=7))  # a few labels over up to 30 decades
        ax_loss.yaxis.set_minor_locator(NullLocator())
        ax_loss.set_xlabel("step $t$")
        ax_loss.set_ylabel(r"$f(w_t) - f^\star$")
        if len(labels) > 1:
            ax_loss.legend(fontsize=8)
        animate(*a["paths"].values(), *a["losses"].values(), ax.title, ax_loss.title)
        return a

    return setup


def _show_paths(a, landscape: str, land, paths: dict, num_steps: int) -> None:
    """Move the paths and loss curves of a ``_landscape_setup`` figure."""
    ax = a["ax"]
    if a["name"] != landscape:  # contours are redrawn only when the landscape changes
        keep = set(a["paths"].values())
        for artist in list(ax.collections) + [l for l in ax.lines if l not in keep]:
            artist.remove()
        plotting.contours(ax, land)
        a["name"] = landscape
    f_star = min(float(land.f(np.array(m))) for m in land.minima)
    lows, highs = [], []
    for label, path in paths.items():
        if label not in a["paths"]:  # nothing to draw (no method selected)
            continue
        shown = plotting.finite_or_nan(path)
        a["paths"][label].set_data(shown[:, 0], shown[:, 1])
        gap = plotting.finite_or_nan(land.f(path) - f_star)
        gap[gap <= 0] = 1e-16
        a["losses"][label].set_data(np.arange(gap.size), gap)
        finite = gap[np.isfinite(gap)]
        if finite.size:
            lows.append(finite.min())
            highs.append(finite.max())
    set_limits(a["ax_loss"], x=(0, num_steps))
    if lows:  # whole decades, kept while they still fit: new limits cost a full redraw
        lo, hi = max(min(lows), 1e-16), max(highs)
        low, high = a["ax_loss"].get_ylim()
        if not (low <= lo < 1e3 * low and high / 1e3 < hi <= high):
            set_limits(a["ax_loss"], y=(10.0 ** np.floor(np.log10(lo)), 10.0 ** np.ceil(np.log10(hi) + 1e-9)))
    label, path = next(iter(paths.items()))  # the first path is the one the title reports
    if label in a["paths"]:
        gap = float(land.f(path[-1]) - f_star)
        set_title(a["ax_loss"], f"{label}: gap after {num_steps} steps {gap:.3g}")
    else:
        set_title(a["ax_loss"], "no method selected")


def _start_controls(land, start):
    return {
        "x0": widgets.FloatSlider(value=start[0], min=land.xlim[0], max=land.xlim[1], step=0.05,
                                  description="start w1"),
        "y0": widgets.FloatSlider(value=start[1], min=land.ylim[0], max=land.ylim[1], step=0.05,
                                  description="start w2"),
    }


def _landscape_explorer(controls: dict, setup, update, cache: dict, title: str) -> Explorer:
    """An ``Explorer`` whose start sliders follow the landscape chosen in ``controls["landscape"]``."""
    built = {}

    def new_landscape(change):  # registered first: the start moves before the redraw
        new = cache.setdefault(change["new"], LANDSCAPES[change["new"]]())
        with built["explorer"].hold():
            for name, lim, value in (("x0", new.xlim, new.start[0]), ("y0", new.ylim, new.start[1])):
                slider = controls[name]
                slider.min, slider.max = min(lim[0], slider.min), max(lim[1], slider.max)
                slider.value = value
                slider.min, slider.max = lim

    controls["landscape"].observe(new_landscape, names="value")
    built["explorer"] = Explorer(controls, setup, update, title=title)
    return built["explorer"]


def gradient_descent_2d(gradient_descent: Callable, *, landscape: str = "ill-conditioned quadratic",
                        lr: float = 0.15, start=None, num_steps: int = 30) -> Explorer:
    """Drag the learning rate and the start on a 2-D landscape: the path on the contours, the loss.

    ``gradient_descent(grad, x0, lr, num_steps)`` must return an array of shape
    ``(num_steps + 1, 2)``.
    """
    cache = {}

    def update(a, landscape, lr, x0, y0, num_steps):
        land = cache.setdefault(landscape, LANDSCAPES[landscape]())
        path = as_path(gradient_descent(land.grad, np.array([x0, y0], dtype=float), lr, num_steps),
                       num_steps, 2, "gradient_descent")
        _show_paths(a, landscape, land, {"gradient descent": path}, num_steps)

    land = cache.setdefault(landscape, LANDSCAPES[landscape]())
    controls = {
        "landscape": widgets.Dropdown(options=list(LANDSCAPES), value=landscape, description="landscape"),
        "lr": lr_slider(lr, 1e-4, 1.0),
        **_start_controls(land, land.start if start is None else start),
        "num_steps": widgets.IntSlider(value=num_steps, min=1, max=200, description="steps"),
    }
    return _landscape_explorer(controls, _landscape_setup({"gradient descent": "tab:red"}), update, cache,
                               "Gradient descent in two dimensions")


def run_rule(rule: Callable, grad: Callable, w0, num_steps: int, name: str = "rule", **hyper) -> np.ndarray:
    """The path of ``num_steps`` calls ``w, state = rule(w, grad(w), state, **hyper)`` from ``w0``.

    Checks the update-rule contract on the way, so a learner's mistake reads as a
    sentence: what was expected and what was given.
    """
    w = np.array(w0, dtype=float)
    path, state = [w.copy()], None
    for step in range(num_steps):
        result = rule(w, grad(w), state, **hyper)
        if not (isinstance(result, tuple) and len(result) == 2):
            raise TypeError(f"{name} must return (w_next, state); at step {step} it returned "
                            f"{type(result).__name__}")
        w_next, state = result
        w_next = np.asarray(w_next, dtype=float)
        if w_next.shape != w.shape:
            raise ValueError(f"{name} returned w_next of shape {w_next.shape}; w has shape {w.shape}")
        if not isinstance(state, dict):
            raise TypeError(f"{name} must return a dict as its state; it returned {type(state).__name__}")
        w = w_next
        path.append(w.copy())
    return np.array(path)


def _plain_sgd(w, dw, state=None, lr=1e-2):
    return w - lr * dw, {}


def momentum_2d(sgd_momentum: Callable, nesterov: Callable, *, landscape: str = "ill-conditioned quadratic",
                lr: float = 0.02, momentum: float = 0.9, start=None, num_steps: int = 60) -> Explorer:
    """Learning rate, momentum and a Nesterov switch on a 2-D landscape, against plain gradient descent.

    ``sgd_momentum`` and ``nesterov`` follow the update-rule contract
    ``rule(w, dw, state, lr=..., momentum=...) -> (w_next, state)``. The grey reference
    path is plain gradient descent, run by the explorer itself, so a mistake in the rules
    given cannot bend it.
    """
    cache = {}
    labels = {"with momentum": "tab:red", "plain gradient descent": "tab:gray"}

    def update(a, landscape, lr, momentum, use_nesterov, x0, y0, num_steps):
        land = cache.setdefault(landscape, LANDSCAPES[landscape]())
        rule, name = (nesterov, "nesterov") if use_nesterov else (sgd_momentum, "sgd_momentum")
        start = np.array([x0, y0], dtype=float)
        paths = {
            "with momentum": run_rule(rule, land.grad, start, num_steps, name, lr=lr, momentum=momentum),
            "plain gradient descent": run_rule(_plain_sgd, land.grad, start, num_steps, lr=lr),
        }
        _show_paths(a, landscape, land, paths, num_steps)
        set_title(a["ax"], f"{land.name}: {'Nesterov' if use_nesterov else 'momentum'} {momentum:.2f}")

    land = cache.setdefault(landscape, LANDSCAPES[landscape]())
    controls = {
        "landscape": widgets.Dropdown(options=list(LANDSCAPES), value=landscape, description="landscape"),
        "lr": lr_slider(lr, 1e-4, 1.0),
        "momentum": widgets.FloatSlider(value=momentum, min=0.0, max=0.99, step=0.01, description="momentum"),
        "use_nesterov": widgets.Checkbox(value=False, description="Nesterov"),
        **_start_controls(land, land.start if start is None else start),
        "num_steps": widgets.IntSlider(value=num_steps, min=1, max=300, description="steps"),
    }
    return _landscape_explorer(controls, _landscape_setup(labels), update, cache, "Momentum in two dimensions")


RACE_COLORS = ["tab:red", "tab:blue", "tab:green", "tab:orange", "tab:purple", "tab:brown", "tab:pink",
               "tab:olive", "tab:cyan", "tab:gray"]


def _accepted(rule: Callable, hyper: dict) -> dict:
    """The subset of ``hyper`` that ``rule`` takes as keyword arguments."""
    import inspect

    parameters = inspect.signature(rule).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return dict(hyper)
    return {k: v for k, v in hyper.items() if k in parameters}


def race_2d(rules: dict, *, landscape: str = "ill-conditioned quadratic", lr: float = 0.05,
            beta1: float = 0.9, beta2: float = 0.999, start=None, num_steps: int = 100,
            selected=None) -> Explorer:
    """Update rules race on a 2-D landscape: paths on the contours, loss gaps side by side.

    ``rules`` maps a name to a rule with the course's contract. Every rule gets the
    shared ``lr``; ``beta1`` and ``beta2`` go to the rules that take them, and ``beta2``
    also serves as RMSProp's ``decay_rate`` and AdaDelta's ``rho``.
    """
    cache = {}
    names = list(rules)
    colors = {name: RACE_COLORS[i % len(RACE_COLORS)] for i, name in enumerate(names)}

    def update(a, landscape, methods, lr, beta1, beta2, x0, y0, num_steps):
        land = cache.setdefault(landscape, LANDSCAPES[landscape]())
        start = np.array([x0, y0], dtype=float)
        hyper = {"lr": lr, "beta1": beta1, "beta2": beta2, "decay_rate": beta2, "rho": beta2}
        empty = np.full((1, 2), np.nan)
        paths = {}
        for name in names:
            if name in methods:
                paths[name] = run_rule(rules[name], land.grad, start, num_steps, name,
                                       **_accepted(rules[name], hyper))
        _show_paths(a, landscape, land, paths or {"": empty}, num_steps)
        for name in names:
            if name not in methods:
                a["paths"][name].set_data([], [])
                a["losses"][name].set_data([], [])
        set_title(a["ax"], f"{land.name}, lr = {lr:.3g}")

    land = cache.setdefault(landscape, LANDSCAPES[landscape]())
    controls = {
        "landscape": widgets.Dropdown(options=list(LANDSCAPES), value=landscape, description="landscape"),
        "methods": widgets.SelectMultiple(options=names, value=tuple(selected or names), description="methods",
                                          rows=min(len(names), 8)),
        "lr": lr_slider(lr, 1e-4, 3.0),
        "beta1": widgets.FloatSlider(value=beta1, min=0.0, max=0.99, step=0.01, description="beta1"),
        "beta2": widgets.FloatSlider(value=beta2, min=0.5, max=0.9999, step=0.0001, readout_format=".4f",
                                     description="beta2 / decay"),
        **_start_controls(land, land.start if start is None else start),
        "num_steps": widgets.IntSlider(value=num_steps, min=1, max=500, description="steps"),
    }
    return _landscape_explorer(controls, _landscape_setup(colors), update, cache, "Optimizers race")
