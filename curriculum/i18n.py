"""English and Welsh: translation catalogues for modules that offer a ``language`` parameter.

Welsh public bodies work bilingually, so modules for senior leaders can be run in
English (``"en"``, the source language) or Welsh (``"cy"``). Nothing is duplicated by
hand: the notebook stays the one source, and a gettext catalogue (a ``.po`` file,
read with Babel) per module holds the Welsh for

- every paragraph of its markdown cells (as documentation translation tools such as
  sphinx-intl do): :func:`translate_notebook` swaps them when a run asks for Welsh;
- every string its code marks with ``tr("...")``: chart titles, widget labels,
  printed sentences, questions. A setup cell makes ``tr = curriculum.translator(
  "<module id>", language)``; package functions that draw charts or widgets take the
  same callable as their ``translate`` argument and mark their own strings the same
  way (those live in the shared ``common`` catalogue).

Catalogues ship as package resources under ``resources/locale/<language>/LC_MESSAGES``.
:func:`update_catalog` (``infuse translations update <module>``) adds new English
strings to a module's catalogue and keeps existing translations; a test checks that
every string has both languages. Nothing happens on import.
"""

from __future__ import annotations

import ast
import copy
import os
import re
import warnings
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable

from curriculum.errors import CurriculumError

__all__ = ["LANGUAGES", "SOURCE_LANGUAGE", "COMMON_DOMAIN", "PACKAGE_MODULES", "MissingTranslationError", "catalog_path",
           "translator", "markdown_blocks", "notebook_messages", "package_messages", "translate_notebook",
           "missing_translations", "update_catalog", "set_translations"]

LANGUAGES: dict[str, str] = {"en": "English", "cy": "Cymraeg"}
SOURCE_LANGUAGE = "en"
COMMON_DOMAIN = "common"  # strings marked in the package's own charts and widgets
PACKAGE_MODULES: tuple[str, ...] = ("rates", "causal", "risk", "chart_literacy", "uncertainty", "evidence", "governance", "money_overview", "themes")  # package modules whose tr("...") strings the common catalogue covers
STRICT_ENV = "INFUSE_STRICT_TRANSLATIONS"  # "1": a missing translation is an error, not a warning
_FENCE = re.compile(r"^\s*(```|~~~)")


class MissingTranslationError(CurriculumError):
    """A string has no translation in the language asked for."""


def _check_language(language: str) -> str:
    if not isinstance(language, str) or language.strip().lower() not in LANGUAGES:
        raise ValueError(f"language {language!r} is not offered; use one of: "
                         + ", ".join(f"{code!r} ({name})" for code, name in LANGUAGES.items()))
    return language.strip().lower()


def catalog_path(domain: str, language: str) -> Path:
    """Return the path of a catalogue (``.po`` file) inside the package.

    Parameters
    ----------
    domain : str
        A module id, or ``"common"`` for the package's own strings.
    language : str
        A language code other than English, such as ``"cy"``.

    Returns
    -------
    pathlib.Path
        ``curriculum/resources/locale/<language>/LC_MESSAGES/<domain>.po`` (it may not exist yet).

    Raises
    ------
    ValueError
        If ``language`` is not offered or ``domain`` is not a plain name.
    """
    language = _check_language(language)
    if not isinstance(domain, str) or not re.fullmatch(r"[a-z0-9_]+", domain):
        raise ValueError(f"domain {domain!r} must be a module id such as 'counts_rates_comparisons'")
    root = Path(str(resources.files("curriculum"))) / "resources" / "locale"
    return root / language / "LC_MESSAGES" / f"{domain}.po"


@lru_cache(maxsize=None)
def _messages(domain: str, language: str, mtime: float) -> dict[str, str]:
    from babel.messages.pofile import read_po

    path = catalog_path(domain, language)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    return {str(m.id): str(m.string) for m in catalog if m.id and m.string and not m.fuzzy}


def _catalog_messages(domain: str, language: str) -> dict[str, str]:
    path = catalog_path(domain, language)
    if not path.exists():
        return {}
    return _messages(domain, language, path.stat().st_mtime)


def translator(domain: str, language: str = SOURCE_LANGUAGE, *, strict: bool | None = None) -> Callable[[str], str]:
    """Return the function that translates a module's marked strings.

    Parameters
    ----------
    domain : str
        The module id whose catalogue to use; the ``common`` catalogue is
        consulted after it.
    language : str, default "en"
        ``"en"`` (strings are returned unchanged) or ``"cy"`` (Welsh).
    strict : bool, optional
        True: a string with no translation raises :class:`MissingTranslationError`.
        False: it is shown in English with a warning. By default strict only
        when the environment variable ``INFUSE_STRICT_TRANSLATIONS`` is ``1``
        (the test suites set it).

    Returns
    -------
    callable
        ``tr(text) -> str``.

    Raises
    ------
    ValueError
        If ``language`` is not offered.
    """
    language = _check_language(language)
    catalog_path(domain, language)  # validates the domain
    if language == SOURCE_LANGUAGE:
        return lambda text: text
    if strict is None:
        strict = os.environ.get(STRICT_ENV) == "1"
    warned: set[str] = set()

    def tr(text: str) -> str:
        found = _catalog_messages(domain, language).get(text) or _catalog_messages(COMMON_DOMAIN, language).get(text)
        if found:
            return found
        message = (f"no {LANGUAGES[language]} translation of {text!r} in the {domain!r} or {COMMON_DOMAIN!r} "
                   f"catalogue; run `infuse translations update {domain}` and fill in its msgstr in "
                   f"{catalog_path(domain, language)}")
        if strict:
            raise MissingTranslationError(message)
        if text not in warned:
            warned.add(text)
            warnings.warn(message, stacklevel=2)
        return text

    return tr


def markdown_blocks(text: str) -> list[str]:
    """Split markdown into the blocks that are translated one by one.

    Parameters
    ----------
    text : str
        Markdown source.

    Returns
    -------
    list of str
        Blocks separated by blank lines (a fenced code block stays whole),
        stripped of surrounding whitespace; empty blocks are dropped.

    Raises
    ------
    TypeError
        If ``text`` is not a string.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    blocks: list[str] = []
    current: list[str] = []
    fenced = False
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        if not fenced and not line.strip():
            if current:
                blocks.append("\n".join(current).strip())
                current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current).strip())
    return [b for b in blocks if b]


def _is_model_answer(cell: Any) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "markdown" and bool(meta.get("solution"))


def _marked_strings(source: str, where: str, keyword: str = "tr") -> list[str]:
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError as exc:
        raise ValueError(f"{where}: cannot read the code to find {keyword}(...) strings: {exc.msg}") from None
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == keyword and node.args:
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                raise ValueError(f"{where}, line {node.lineno}: {keyword}() needs a plain string literal "
                                 f"(format it afterwards: {keyword}('{{n}} homes').format(n=n))")
            found.append(first.value)
    return found


def notebook_messages(notebook: Any) -> dict[str, list[str]]:
    """List the strings of a notebook that a translation must cover.

    Parameters
    ----------
    notebook : nbformat.NotebookNode or str or pathlib.Path
        The module notebook, or its path.

    Returns
    -------
    dict
        English text -> where it occurs (``"cell 3"``), in order of first use:
        every markdown block except model answers of hand-graded cells, and the
        literal first argument of every ``tr(...)`` call in code cells.

    Raises
    ------
    ValueError
        If a ``tr(...)`` call has no string literal as its first argument.
    """
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4) if isinstance(notebook, (str, Path)) else notebook
    found: dict[str, list[str]] = {}
    for index, cell in enumerate(nb.cells):
        where = f"cell {index}"
        if cell.cell_type == "markdown" and not _is_model_answer(cell):
            texts = markdown_blocks(cell.source)
        elif cell.cell_type == "code":
            texts = _marked_strings(cell.source, where)
        else:
            texts = []
        for text in texts:
            found.setdefault(text, []).append(where)
    return found


def package_messages(modules: Iterable[str]) -> dict[str, list[str]]:
    """List the strings marked ``tr("...")`` in package modules (the ``common`` catalogue's content).

    Parameters
    ----------
    modules : iterable of str
        Module names inside the package, such as ``["rates"]``.

    Returns
    -------
    dict
        English text -> where it occurs (``"curriculum/rates.py"``).

    Raises
    ------
    ValueError
        If a module is not part of the package.
    """
    root = Path(str(resources.files("curriculum")))
    found: dict[str, list[str]] = {}
    for name in modules:
        path = root / f"{name}.py"
        if not path.is_file():
            raise ValueError(f"module {name!r} is not part of the curriculum package (no {path})")
        for text in _marked_strings(path.read_text(encoding="utf-8"), f"curriculum/{name}.py"):
            found.setdefault(text, []).append(f"curriculum/{name}.py")
    return found


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"\{[^{}]*\}", text))


def translate_notebook(notebook: Any, domain: str, language: str) -> Any:
    """Return a copy of a notebook with its markdown in another language.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The module notebook (not changed).
    domain : str
        The module id whose catalogue holds the translations.
    language : str
        ``"en"`` returns an unchanged copy; ``"cy"`` swaps every markdown block
        for its Welsh.

    Returns
    -------
    nbformat.NotebookNode
        The translated copy; its metadata records the language.

    Raises
    ------
    MissingTranslationError
        If any markdown block has no translation (all of them are listed).
    ValueError
        If ``language`` is not offered.
    """
    language = _check_language(language)
    nb = copy.deepcopy(notebook)
    nb.metadata["language"] = language
    if language == SOURCE_LANGUAGE:
        return nb
    messages = {**_catalog_messages(COMMON_DOMAIN, language), **_catalog_messages(domain, language)}
    missing: list[str] = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown" or _is_model_answer(cell):
            continue
        source = cell.source
        for block in markdown_blocks(source):
            if block in messages:
                source = source.replace(block, messages[block], 1)
            else:
                missing.append(f"cell {index}: {block[:60]!r}")
        cell.source = source
    if missing:
        raise MissingTranslationError(
            f"{len(missing)} markdown block(s) of {domain!r} have no {LANGUAGES[language]} translation in "
            f"{catalog_path(domain, language)}: " + "; ".join(missing[:5])
            + ("; ..." if len(missing) > 5 else "") + f". Run `infuse translations update {domain}` and fill them in.")
    return nb


def missing_translations(domain: str, messages: Iterable[str], language: str = "cy") -> list[str]:
    """Return the strings that have no usable translation.

    Parameters
    ----------
    domain : str
        The catalogue to look in (then ``common``).
    messages : iterable of str
        English strings, such as the keys of :func:`notebook_messages`.
    language : str, default "cy"
        The language to check.

    Returns
    -------
    list of str
        Strings with no translation, or whose translation drops or adds a
        ``{placeholder}``, or changes a markdown heading level.

    Raises
    ------
    ValueError
        If ``language`` is not offered.
    """
    language = _check_language(language)
    known = {**_catalog_messages(COMMON_DOMAIN, language), **_catalog_messages(domain, language)}
    bad = []
    for text in messages:
        found = known.get(text)
        heading = re.match(r"#+ ", text)
        if (not found or _placeholders(found) != _placeholders(text)
                or (heading and not found.startswith(heading.group(0)))):
            bad.append(text)
    return bad


def update_catalog(domain: str, messages: dict[str, list[str]], language: str = "cy") -> tuple[int, int]:
    """Bring a catalogue up to date with the strings a module now uses.

    New strings are added with an empty translation, existing translations
    kept, and strings no longer used marked obsolete (kept at the end of the
    file so that a translator can reuse them).

    Parameters
    ----------
    domain : str
        The module id (or ``"common"``).
    messages : dict
        English text -> locations, from :func:`notebook_messages` or
        :func:`package_messages`.
    language : str, default "cy"
        The catalogue's language.

    Returns
    -------
    tuple of int
        (strings added, strings made obsolete).

    Raises
    ------
    ValueError
        If ``language`` is English or not offered.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    language = _check_language(language)
    if language == SOURCE_LANGUAGE:
        raise ValueError("language 'en' is the source language: it has no catalogue")
    path = catalog_path(domain, language)
    if path.exists():
        with path.open("rb") as handle:
            old = read_po(handle, locale=language)
    else:
        old = Catalog(locale=language, domain=domain)
    known = {str(m.id): m for m in old if m.id}
    new = Catalog(locale=language, domain=domain, project="InFuSe curriculum", version=domain,
                  copyright_holder="the InFuSe curriculum's authors",
                  header_comment=(f"# {LANGUAGES[language]} translations of the InFuSe curriculum: {domain}.\n"
                                  "# Update with `infuse translations update`; fill in each msgstr."),
                  language_team=f"{LANGUAGES[language]} <infuse@cardiffcapitalregion.wales>",
                  creation_date=old.creation_date, revision_date=old.revision_date, fuzzy=False)
    added = 0
    for text, where in messages.items():
        previous = known.get(text)
        if previous is None:
            added += 1
        new.add(text, previous.string if previous else "", locations=[(w, 0) for w in dict.fromkeys(where)],
                auto_comments=previous.auto_comments if previous else ())
    obsolete = 0
    for text, message in known.items():
        if text not in messages and message.string:
            new.obsolete[text] = message
            obsolete += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, new, width=100, omit_header=False, include_previous=False, sort_output=False,
                 include_lineno=False)
    return added, obsolete


def set_translations(domain: str, translations: dict[str, str], language: str = "cy") -> int:
    """Write translations into a catalogue (after :func:`update_catalog` has added the strings).

    Parameters
    ----------
    domain : str
        The module id (or ``"common"``).
    translations : dict
        English text -> translation. Every English text must already be in the
        catalogue; translations must keep the English's ``{placeholders}``.
    language : str, default "cy"
        The catalogue's language.

    Returns
    -------
    int
        How many translations were set.

    Raises
    ------
    ValueError
        If the catalogue does not exist, a text is not in it, or a translation
        drops or adds a placeholder.
    """
    from babel.messages.pofile import read_po, write_po

    language = _check_language(language)
    path = catalog_path(domain, language)
    if not path.exists():
        raise ValueError(f"no catalogue {path}: run update_catalog({domain!r}, ...) first")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    unknown = [t for t in translations if t not in catalog]
    if unknown:
        raise ValueError(f"{len(unknown)} text(s) are not in {path} (update it first): {[t[:50] for t in unknown[:3]]}")
    broken = [t for t, w in translations.items() if _placeholders(t) != _placeholders(w)]
    if broken:
        raise ValueError(f"these translations change the {{placeholders}} of the English: {[t[:50] for t in broken[:3]]}")
    for text, welsh in translations.items():
        catalog[text].string = welsh
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, include_previous=False, sort_output=False, include_lineno=False)
    return len(translations)
