"""English and Welsh: the translation catalogues, their coverage, and Welsh runs of the bilingual modules."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import nbformat
import pytest

from curriculum import i18n
from curriculum.cli import main
from curriculum.runner import run_module
from curriculum.syllabus import get_module, syllabus, tracks

BILINGUAL = [m for m in syllabus() if "language" in m.parameters]
BILINGUAL_IDS = [m.id for m in BILINGUAL]


def test_senior_track_is_bilingual():
    """Every senior module offers the language parameter (the issue asks for the whole senior track)."""
    english_only = [m.id for m in syllabus("senior_literacy") if "language" not in m.parameters]
    assert not english_only, f"senior modules without a language parameter: {english_only}"
    assert BILINGUAL, "no module offers Welsh"


def test_every_title_has_both_languages():
    """Every module and track title in the syllabus has a Welsh title."""
    missing = [m.id for m in syllabus() if not (m.title_cy or "").strip()]
    missing += [t.id for t in tracks().values() if not (t.title_cy or "").strip()]
    assert not missing, f"add title_cy to these syllabus entries: {missing}"
    same = [m.id for m in syllabus() if m.title_cy == m.title]
    assert not same, f"these Welsh titles are copies of the English: {same}"


@pytest.mark.parametrize("module_id", BILINGUAL_IDS)
def test_every_string_of_a_bilingual_module_is_translated(module_id):
    """Every markdown block and tr() string of the notebook has a Welsh translation keeping its placeholders."""
    module = get_module(module_id)
    messages = i18n.notebook_messages(module.notebook_path())
    assert len(messages) > 20, f"{module_id}: only {len(messages)} strings found: is the notebook marked up?"
    missing = i18n.missing_translations(module_id, messages, "cy")
    assert not missing, (f"{module_id}: {len(missing)} string(s) without Welsh (run `infuse translations update "
                         f"{module_id}` and fill them in): {[m[:50] for m in missing[:5]]}")


@pytest.mark.parametrize("module_id", BILINGUAL_IDS)
def test_welsh_notebook_title_matches_the_syllabus(module_id):
    """The translated notebook's first heading is the syllabus's Welsh title."""
    module = get_module(module_id)
    nb = i18n.translate_notebook(nbformat.read(module.notebook_path(), as_version=4), module_id, "cy")
    first = nb.cells[0].source.splitlines()[0]
    assert first == f"# {module.title_cy}", f"{module_id}: notebook title {first!r} but syllabus title_cy {module.title_cy!r}"
    english = nbformat.read(module.notebook_path(), as_version=4)
    assert [c.cell_type for c in nb.cells] == [c.cell_type for c in english.cells]
    assert [c.source for c in nb.cells if c.cell_type == "code"] == [c.source for c in english.cells if c.cell_type == "code"], \
        "translation must leave code cells alone"


def test_package_strings_are_translated():
    """Every tr() string in the package's charts and widgets has Welsh in the common catalogue."""
    messages = i18n.package_messages(i18n.PACKAGE_MODULES)
    assert "Rate per 1,000 residents" in messages
    missing = i18n.missing_translations(i18n.COMMON_DOMAIN, messages, "cy")
    assert not missing, f"common catalogue lacks: {missing}"


def test_every_package_module_with_marked_strings_is_listed(root):
    """A package module that marks strings with tr() is listed in PACKAGE_MODULES, so its strings are checked."""
    marked = sorted(p.stem for p in (root / "curriculum").glob("*.py")
                    if re.search(r"\btr\(\s*[\"']", p.read_text(encoding="utf-8")) and p.stem != "i18n")
    assert set(marked) <= set(i18n.PACKAGE_MODULES), f"add to i18n.PACKAGE_MODULES: {set(marked) - set(i18n.PACKAGE_MODULES)}"


def test_translator_english_is_identity_and_welsh_translates():
    """English returns the text; Welsh returns the catalogue's translation, from the module or common catalogue."""
    assert i18n.translator("counts_rates_comparisons", "en")("Year") == "Year"
    tr = i18n.translator("counts_rates_comparisons", "cy", strict=True)
    assert tr("Year") == "Blwyddyn"
    assert tr("Focus: {indicator}, {year}.").format(indicator="X", year=2023) == "Ffocws: X, 2023."


def test_missing_translation_strict_and_lenient():
    """A string with no Welsh raises in strict mode, naming the catalogue, and falls back to English with a warning otherwise."""
    with pytest.raises(i18n.MissingTranslationError, match=r"counts_rates_comparisons.*infuse translations update"):
        i18n.translator("counts_rates_comparisons", "cy", strict=True)("A sentence nobody translated")
    tr = i18n.translator("counts_rates_comparisons", "cy", strict=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert tr("A sentence nobody translated") == "A sentence nobody translated"
    assert any("no Cymraeg translation" in str(w.message) for w in caught)


@pytest.mark.parametrize("language, domain, match", [
    ("fr", "counts_rates_comparisons", "language 'fr' is not offered"),
    ("cy", "../etc", "must be a module id"),
    ("cy", "Counts Rates", "must be a module id"),
])
def test_translator_rejects_bad_arguments(language, domain, match):
    """An unknown language or a domain that is not a module id is refused, naming it."""
    with pytest.raises(ValueError, match=re.escape(match)):
        i18n.translator(domain, language)


def test_markdown_blocks_split_on_blank_lines_and_keep_fences():
    """Blocks split at blank lines; a fenced code block with blank lines inside stays whole."""
    text = "# Title\n\nOne line\nsecond line\n\n```\ncode\n\nmore code\n```\n\n- a\n- b\n"
    assert i18n.markdown_blocks(text) == ["# Title", "One line\nsecond line", "```\ncode\n\nmore code\n```", "- a\n- b"]
    with pytest.raises(TypeError, match="text must be a string"):
        i18n.markdown_blocks(None)


def test_notebook_messages_need_literal_strings():
    """tr() with anything but a string literal is refused with the cell and line, since it could not be translated."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T\n\nText"),
                                         nbformat.v4.new_code_cell('x = tr("Hello {name}").format(name="A")'),
                                         nbformat.v4.new_code_cell("y = tr(message)")])
    with pytest.raises(ValueError, match=r"cell 2, line 1: tr\(\) needs a plain string literal"):
        i18n.notebook_messages(nb)
    nb.cells.pop()
    assert list(i18n.notebook_messages(nb)) == ["# T", "Text", "Hello {name}"]


def test_model_answers_are_not_translated_and_missing_blocks_are_listed():
    """Hand-graded model answers stay as written; untranslated blocks are all listed in the error."""
    answer = nbformat.v4.new_markdown_cell("*Model answer.* Something.")
    answer.metadata["nbgrader"] = {"solution": True, "grade": True, "points": 1}
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Counts, rates and fair comparisons\n\nUntranslated one\n\nUntranslated two"),
                                         answer])
    assert "*Model answer.* Something." not in i18n.notebook_messages(nb)
    with pytest.raises(i18n.MissingTranslationError, match=r"2 markdown block\(s\).*Untranslated one.*Untranslated two"):
        i18n.translate_notebook(nb, "counts_rates_comparisons", "cy")


def test_update_catalog_keeps_translations_and_marks_obsolete(tmp_path, monkeypatch):
    """Updating adds new strings empty, keeps existing translations and counts strings no longer used."""
    monkeypatch.setattr(i18n, "catalog_path", lambda domain, language: tmp_path / language / f"{domain}.po")
    assert i18n.update_catalog("demo_module", {"One": ["cell 1"], "Two": ["cell 2"]}) == (2, 0)
    po = (tmp_path / "cy" / "demo_module.po").read_text(encoding="utf-8")
    (tmp_path / "cy" / "demo_module.po").write_text(po.replace('msgid "One"\nmsgstr ""', 'msgid "One"\nmsgstr "Un"'),
                                                     encoding="utf-8")
    assert i18n.update_catalog("demo_module", {"Two": ["cell 2"], "Three": ["cell 3"]}) == (1, 1)
    text = (tmp_path / "cy" / "demo_module.po").read_text(encoding="utf-8")
    assert '#~ msgid "One"\n#~ msgstr "Un"' in text, "an obsolete translation is kept for reuse"
    assert 'msgid "Three"' in text
    with pytest.raises(ValueError, match="source language"):
        i18n.update_catalog("demo_module", {}, "en")
    assert i18n.set_translations("demo_module", {"Two": "Dau"}) == 1
    assert 'msgid "Two"\nmsgstr "Dau"' in (tmp_path / "cy" / "demo_module.po").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="not in"):
        i18n.set_translations("demo_module", {"Four": "Pedwar"})
    with pytest.raises(ValueError, match="placeholders"):
        i18n.set_translations("demo_module", {"Three": "Tri {n}"})


@pytest.mark.parametrize("module_id", BILINGUAL_IDS)
def test_module_runs_in_welsh(module_id, tmp_path, monkeypatch):
    """The module runs in Welsh (strict: any untranslated string fails the run) and its report shows the Welsh title."""
    monkeypatch.setenv(i18n.STRICT_ENV, "1")
    result = run_module(module_id, "Merthyr Tydfil", out_dir=tmp_path, language="cy", hide_code=True)
    assert result.ok, result.error
    assert result.report.endswith(f"{module_id}.cy.html")
    html = (tmp_path / result.report).read_text(encoding="utf-8")
    assert get_module(module_id).title_cy.replace("'", "&#39;") in html or get_module(module_id).title_cy in html
    assert "## " not in html
    assert "hl-ipython3" not in html, "the report must hide code (senior leaders see an app-like page)"


def test_english_only_module_refuses_welsh(tmp_path):
    """Asking for Welsh from a module without a language parameter names the modules that have one."""
    english_only = next(m for m in syllabus() if "language" not in m.parameters)
    with pytest.raises(ValueError, match=r"runs in English only; the modules with a Welsh version are: .*counts_rates_comparisons"):
        run_module(english_only.id, "Cardiff", out_dir=tmp_path, language="cy")


def test_cli_checks_and_writes_translations(tmp_path, capsys):
    """`infuse translations check` passes and `write` saves a Welsh notebook whose parameters ask for Welsh."""
    assert main(["translations", "check"]) == 0
    assert main(["translations", "write", "counts_rates_comparisons", "--out", str(tmp_path)]) == 0
    nb = nbformat.read(tmp_path / "counts_rates_comparisons.cy.ipynb", as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assert 'language: str = "cy"' in params.source
    assert nb.cells[0].source.startswith("# Cyfrifon")
    assert "translated" in capsys.readouterr().out
