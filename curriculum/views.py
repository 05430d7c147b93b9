"""Live views for widgets: a chart (and its table) redrawn whenever a control moves.

Every explorer in the curriculum (a funnel plot by indicator, weights for themes, a chart's
axis from zero or not...) has the same shape: some controls, and an
:class:`ipywidgets.Output` that is emptied and refilled each time one of them changes.
:func:`live_view` is that shape, written once.

The view is filled with ``Output.append_display_data`` and figures go in as PNG images,
never by capturing output: a capturing Output widget makes nbclient write to the kernel's
shell channel while it waits on it, which can hang headless runs (papermill, nbval,
nbgrader), and an image of the figure shows the same in JupyterLab, Voila and an HTML
report.

Nothing happens on import.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable

__all__ = ["axes", "figure_png", "live_view", "untranslated"]


def untranslated(text: str) -> str:
    """Return ``text`` unchanged: the translator of charts and widgets when no language is chosen.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
    """
    return text


def axes(ax=None, figsize: tuple[float, float] | None = None):
    """Return ``ax``, or new axes on a new pyplot figure when it is None.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.
    figsize : tuple of float, optional
        Size of a new figure in inches; matplotlib's default when None.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=figsize)
    return new


def figure_png(figure, dpi: float | None = None) -> bytes:
    """Return a matplotlib figure as PNG bytes, and close it if pyplot made it.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The figure (made with pyplot or directly with ``Figure``).
    dpi : float, optional
        Resolution; the figure's own by default.

    Returns
    -------
    bytes

    Raises
    ------
    TypeError
        If ``figure`` is not a matplotlib figure.
    """
    from matplotlib.figure import Figure

    if not isinstance(figure, Figure):
        raise TypeError(f"figure must be a matplotlib Figure, got {type(figure).__name__}")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", **({} if dpi is None else {"dpi": dpi}))
    import matplotlib.pyplot as plt

    plt.close(figure)  # frees a pyplot figure; does nothing to one made without pyplot
    return buffer.getvalue()


def live_view(draw: Callable[[], object], controls: Iterable, *, dpi: float | None = None):
    """Return an Output widget that shows ``draw()`` now and again whenever a control changes.

    Parameters
    ----------
    draw : callable
        Called with no arguments; returns what to show: one item or a tuple of items. A
        matplotlib figure is shown as a PNG image (and closed); anything else (a DataFrame,
        ``IPython.display.HTML``, text) is displayed as it is; None shows nothing. A
        ``ValueError`` it raises is shown as its message, so a choice that makes no sense
        explains itself instead of breaking the widget.
    controls : iterable of ipywidgets.Widget
        The widgets whose ``value`` changes trigger a redraw.
    dpi : float, optional
        Resolution of the images; each figure's own by default.

    Returns
    -------
    ipywidgets.Output
        Already drawn once.

    Raises
    ------
    TypeError
        If ``draw`` is not callable or a control has no ``observe`` method.
    """
    import ipywidgets as widgets
    from IPython.display import Image
    from matplotlib.figure import Figure

    if not callable(draw):
        raise TypeError(f"draw must be callable, got {type(draw).__name__}")
    controls = list(controls)
    for control in controls:
        if not hasattr(control, "observe"):
            raise TypeError(f"each control must be an ipywidgets widget, got {type(control).__name__}")
    view = widgets.Output()

    def redraw(change=None) -> None:
        view.outputs = ()
        try:
            shown = draw()
        except ValueError as problem:
            view.append_stdout(f"{problem}\n")
            return
        for item in shown if isinstance(shown, tuple) else (shown,):
            if item is None:
                continue
            if isinstance(item, Figure):
                view.append_display_data(Image(data=figure_png(item, dpi), format="png"))
            elif isinstance(item, str):
                view.append_stdout(item if item.endswith("\n") else item + "\n")
            else:
                view.append_display_data(item)

    for control in controls:
        control.observe(redraw, names="value")
    redraw()
    return view
