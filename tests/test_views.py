"""Live views: drawn at once, redrawn when a control moves, figures as PNG, errors as text."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.figure import Figure

from curriculum.views import figure_png, live_view


def _kinds(view) -> list[str]:
    out = []
    for item in view.outputs:
        if item["output_type"] == "stream":
            out.append("text")
        elif "image/png" in item["data"]:
            out.append("png")
        else:
            out.append("other")
    return out


def test_figure_png_is_a_png_and_closes_pyplot_figures():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    data = figure_png(fig)
    assert data.startswith(b"\x89PNG"), "PNG bytes"
    assert not plt.fignum_exists(fig.number), "the pyplot figure is closed, so figures do not pile up"
    assert figure_png(Figure(), dpi=50).startswith(b"\x89PNG"), "a figure made without pyplot works too"


def test_figure_png_names_a_wrong_argument():
    with pytest.raises(TypeError, match="figure must be a matplotlib Figure, got str"):
        figure_png("chart.png")


def test_live_view_draws_at_once_and_again_on_every_change():
    calls = []
    slider = widgets.IntSlider(value=2, min=1, max=5)

    def draw():
        calls.append(slider.value)
        figure = Figure()
        figure.subplots().bar(range(slider.value), range(slider.value))
        return figure, pd.DataFrame({"n": [slider.value]})

    view = live_view(draw, [slider])
    assert calls == [2] and _kinds(view) == ["png", "other"]
    slider.value = 4
    assert calls == [2, 4] and _kinds(view) == ["png", "other"], "the old view is replaced, not appended to"


def test_live_view_shows_a_value_error_as_its_message_and_recovers():
    pick = widgets.Dropdown(options=["ok", "bad"], value="ok")

    def draw():
        if pick.value == "bad":
            raise ValueError("no data for bad")
        return "fine", None

    view = live_view(draw, [pick])
    assert view.outputs[0]["text"] == "fine\n"
    pick.value = "bad"
    assert view.outputs == ({"output_type": "stream", "name": "stdout", "text": "no data for bad\n"},)
    pick.value = "ok"
    assert view.outputs[0]["text"] == "fine\n"


def test_live_view_rejects_what_is_not_a_widget():
    with pytest.raises(TypeError, match="draw must be callable"):
        live_view("draw", [])
    with pytest.raises(TypeError, match="each control must be an ipywidgets widget, got int"):
        live_view(lambda: None, [3])


def test_axes_returns_given_axes_or_makes_new_ones():
    from curriculum.views import axes, untranslated

    fig, ax = plt.subplots()
    assert axes(ax) is ax, "given axes are drawn on, not replaced"
    new = axes(None, figsize=(3, 2))
    assert new is not ax and tuple(new.figure.get_size_inches()) == (3, 2)
    plt.close("all")
    assert untranslated("Year") == "Year"
