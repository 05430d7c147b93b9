"""Artefacts a team shares with its steering group: documents written from a module's results.

A module builds its artefact (a theory of change, an evaluation matrix, an experiment
plan) as data, then :func:`write_document` writes it as Markdown and as a standalone HTML
page that can be emailed, printed or pasted into a committee paper.
"""

from __future__ import annotations

import html
import os
import tempfile
from pathlib import Path
from typing import Iterable, Union

import pandas as pd

__all__ = ["write_document", "artefact_dir", "Section"]

Content = Union[str, pd.DataFrame]
Section = tuple[str, Content]

_CSS = ("body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;color:#222}"
        "h1{color:#12436D}table{border-collapse:collapse;margin:1rem 0}"
        "th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}th{background:#f2f2f2}")


def artefact_dir(output_dir: str | os.PathLike | None) -> Path:
    """Return the folder artefacts go to, creating it.

    Parameters
    ----------
    output_dir : str, path or None
        The folder a run was given (the runner passes the council's report
        folder); None makes a fresh temporary folder.

    Returns
    -------
    pathlib.Path
    """
    path = Path(output_dir) if output_dir is not None else Path(tempfile.mkdtemp(prefix="infuse-artefacts-"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _markdown_table(frame: pd.DataFrame) -> str:
    cols = [str(c) for c in frame.columns]
    rows = ["| " + " | ".join(cols) + " |", "| " + " | ".join("---" for _ in cols) + " |"]
    for record in frame.astype(object).where(frame.notna(), "").astype(str).itertuples(index=False):
        rows.append("| " + " | ".join(v.replace("|", "\\|").replace("\n", " ") for v in record) + " |")
    return "\n".join(rows)


def write_document(path: str | os.PathLike, title: str, sections: Iterable[Section], *, council: str | None = None) -> tuple[Path, Path]:
    """Write an artefact as a Markdown file and a standalone HTML page.

    Parameters
    ----------
    path : str or path-like
        Target file name without suffix, or with ``.md``/``.html`` (replaced);
        both ``<name>.md`` and ``<name>.html`` are written.
    title : str
        The document's title.
    sections : iterable of (heading, content)
        Each content is Markdown-free plain text (paragraphs separated by
        blank lines; lines starting "- " become bullets) or a DataFrame (a table).
    council : str, optional
        Shown under the title.

    Returns
    -------
    tuple of pathlib.Path
        The Markdown and HTML files.

    Raises
    ------
    ValueError
        If ``title`` is blank or a section's content is neither text nor a DataFrame.
    """
    if not str(title).strip():
        raise ValueError("title must not be blank")
    base = Path(path)
    base = base.with_suffix("") if base.suffix in (".md", ".html") else base
    base.parent.mkdir(parents=True, exist_ok=True)
    md = [f"# {title}", ""] + ([f"*{council}*", ""] if council else [])
    body = [f"<h1>{html.escape(title)}</h1>"] + ([f"<p><em>{html.escape(council)}</em></p>"] if council else [])
    for heading, content in sections:
        md += [f"## {heading}", ""]
        body.append(f"<h2>{html.escape(str(heading))}</h2>")
        if isinstance(content, pd.DataFrame):
            md += [_markdown_table(content), ""]
            body.append(content.to_html(index=False, border=0, escape=True))
        elif isinstance(content, str):
            md += [content.strip(), ""]
            for para in content.strip().split("\n\n"):
                lines = para.splitlines()
                if lines and all(line.startswith("- ") for line in lines):
                    body.append("<ul>" + "".join(f"<li>{html.escape(line[2:])}</li>" for line in lines) + "</ul>")
                else:
                    body.append(f"<p>{html.escape(para)}</p>")
        else:
            raise ValueError(f"section {heading!r}: content must be text or a DataFrame, got {type(content).__name__}")
    md_path, html_path = base.with_suffix(".md"), base.with_suffix(".html")
    md_path.write_text("\n".join(md), encoding="utf-8")
    page = f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title><style>{_CSS}</style></head><body>{''.join(body)}</body></html>"
    html_path.write_text(page, encoding="utf-8")
    return md_path, html_path
