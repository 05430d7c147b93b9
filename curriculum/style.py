"""The house chart style, shipped as a matplotlib style file and applied explicitly."""

from __future__ import annotations

from importlib import resources

__all__ = ["use_style", "STYLE_FILE", "HIGHLIGHT", "MUTED"]

STYLE_FILE = "infuse.mplstyle"
HIGHLIGHT = "#801650"  # the council a report is about
MUTED = "#8c8c8c"      # every other council


def use_style() -> None:
    """Apply the InFuSe chart style to matplotlib for the rest of the session.

    Nothing changes matplotlib on import; notebooks call this once in their setup cell.

    Returns
    -------
    None
    """
    import matplotlib.pyplot as plt

    with resources.as_file(resources.files("curriculum").joinpath("resources", STYLE_FILE)) as path:
        plt.style.use(str(path))
