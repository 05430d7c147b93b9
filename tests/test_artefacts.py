"""Artefact documents: Markdown and HTML written from text and tables."""

import pandas as pd
import pytest

from curriculum.artefacts import artefact_dir, write_document


def test_writes_markdown_and_html(tmp_path):
    """Both files hold the title, council, bullets and the table's values, with HTML escaped."""
    table = pd.DataFrame({"criterion": ["Evidence <strength>"], "weight": [0.4]})
    md, page = write_document(tmp_path / "matrix.md", "Evaluation matrix", [
        ("Why", "First paragraph.\n\n- one\n- two"), ("Scores", table)], council="Torfaen")
    assert md.name == "matrix.md" and page.name == "matrix.html"
    text = md.read_text()
    assert "# Evaluation matrix" in text and "*Torfaen*" in text and "| criterion | weight |" in text
    body = page.read_text()
    assert "<li>two</li>" in body and "Evidence &lt;strength&gt;" in body and "<table" in body


def test_tables_with_missing_values(tmp_path):
    """Blank cells in a table are written as empty cells, not as a crash."""
    table = pd.DataFrame({"indicator": ["Share walking", None], "baseline": [0.52, float("nan")]})
    md, _ = write_document(tmp_path / "plan", "Plan", [("Indicators", table)])
    assert "| Share walking | 0.52 |" in md.read_text() and "|  |  |" in md.read_text()


@pytest.mark.parametrize("title, sections, match", [
    ("  ", [], "title"), ("Plan", [("Bad", 42)], "content must be text or a DataFrame"),
])
def test_bad_arguments(tmp_path, title, sections, match):
    """A blank title or unusable content is refused, naming the problem."""
    with pytest.raises(ValueError, match=match):
        write_document(tmp_path / "x", title, sections)


def test_artefact_dir(tmp_path):
    """A given folder is created; None gives a fresh temporary folder."""
    assert artefact_dir(tmp_path / "a" / "b").is_dir()
    assert artefact_dir(None).is_dir()
