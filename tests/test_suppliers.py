"""Tests of curriculum.suppliers: supplier-name keys, redacted payees and fuzzy matching."""

import itertools
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from rapidfuzz import fuzz, process

import curriculum
from curriculum.demo.spend import REDACTION_LABELS
from curriculum.runner import run_module
from curriculum.suppliers import (
    LEGAL_SUFFIXES,
    SCORERS,
    block_key,
    candidate_pairs,
    cluster_names,
    is_redacted,
    lowest_review_floor,
    match_quality,
    match_suppliers,
    normalise_supplier_name,
    review_queue,
    score_pairs,
)

REAL = Path(__file__).resolve().parents[1] / "datasets" / "real"


@pytest.fixture(scope="module")
def real_spend() -> dict[str, pd.DataFrame]:
    """The three real spend files, loaded through their mappings."""
    return {name: curriculum.load("spend", council=name.title(), data_dir=REAL / name)
            for name in ("calderdale", "manchester", "leeds")}


@pytest.mark.parametrize("variants", [
    ["ACME SERVICES LTD", "Acme Services Limited", "Acme Services Ltd.", "The Acme Services Co.",
     "acme  services  plc", "ACME SERVICES & CO LTD", "Acme Services LLP", "Acme Services CIC"],
    ["Evans & Sons Plumbing", "EVANS AND SONS PLUMBING LTD", "J Evans t/a Evans & Sons Plumbing",
     "J EVANS T/AS EVANS AND SONS PLUMBING", "J Evans trading as Evans & Sons Plumbing", "J Evans T.A. Evans & Sons Plumbing"],
    ["Sainsbury's Supermarkets Ltd", "SAINSBURYS SUPERMARKETS LIMITED"],
    ["Gofal Cymru Cyf", "GOFAL CYMRU CYFYNGEDIG", "Gofal Cymru Ltd"],
    ["ELDERCARE (HALIFAX) LTD", "Eldercare Halifax Limited"],
])
def test_variants_share_one_key(variants):
    """Variants of one name that differ in case, punctuation, suffix, '&', 'The' or 't/a' share one key."""
    keys = set(normalise_supplier_name(pd.Series(variants)))
    assert len(keys) == 1, f"expected one key for {variants}, got {keys}"


@pytest.mark.parametrize("first, second", [
    ("Acme Services Ltd", "Acme Supplies Ltd"),
    ("Cardiff Council", "Newport City Council"),
    ("Evans Plumbing", "Evans Heating"),
    ("Co-op Group", "Group"),
])
def test_different_suppliers_keep_different_keys(first, second):
    """Names of different suppliers do not collapse into one key."""
    assert normalise_supplier_name(first) != normalise_supplier_name(second), (
        f"{first!r} and {second!r} should keep different keys")


@pytest.mark.parametrize("name, key", [
    ("Acme Services Ltd.", "ACME SERVICES"),
    ("The ACME Services Co. Limited", "ACME SERVICES"),
    ("A & A ELECTRICAL DISTRIBUTORS LTD", "A AND A ELECTRICAL DISTRIBUTORS"),
    ("J Evans t/a Evans & Sons Plumbing", "EVANS AND SONS PLUMBING"),
    ("Ltd", "LTD"),             # nothing but a suffix: keep it rather than an empty key
    ("The", "THE"),
    ("Smith T/A", "SMITH"),     # a dangling 'trading as' is dropped
    ("  Trafnidiaeth Cymru  ", "TRAFNIDIAETH CYMRU"),
])
def test_normalise_gives_the_documented_key(name, key):
    """normalise_supplier_name applies its documented rules to single names."""
    assert normalise_supplier_name(name) == key, f"{name!r} should give {key!r}"


def test_normalise_every_legal_suffix_is_dropped():
    """Every suffix in LEGAL_SUFFIXES is dropped from the end of a name."""
    for suffix in LEGAL_SUFFIXES:
        assert normalise_supplier_name(f"Dragon Plant Hire {suffix}") == "DRAGON PLANT HIRE", (
            f"the suffix {suffix!r} was not dropped")


def test_normalise_series_keeps_index_and_missing_values():
    """A Series in gives a Series out with the same index, missing names left missing."""
    names = pd.Series(["Acme Ltd", None, "Beta plc"], index=[10, 20, 30])
    keys = normalise_supplier_name(names)
    assert isinstance(keys, pd.Series), "a Series should give a Series"
    assert list(keys.index) == [10, 20, 30], "the index should be kept"
    assert keys[10] == "ACME" and keys[30] == "BETA", f"unexpected keys {keys.tolist()}"
    assert pd.isna(keys[20]), "a missing name should stay missing"


def test_normalise_is_idempotent_on_real_names(real_spend):
    """Normalising a key again changes nothing, for every supplier name in the real files."""
    names = pd.concat([df["supplier_name"] for df in real_spend.values()], ignore_index=True).drop_duplicates()
    keys = normalise_supplier_name(names)
    again = normalise_supplier_name(keys)
    changed = keys[keys != again]
    assert changed.empty, f"normalising twice changed {changed.head().tolist()}"
    assert (keys.str.len() > 0).all(), "no key should be empty"


@pytest.mark.parametrize("label", [
    "Redacted Personal Information", "REDACTED", "Personal Data Withheld", "Individual", "Private Individual",
    "Name withheld", "REDACTED PERSONAL DATA", "Redacted - Personal Data", "Personal Information Redacted",
    "name removed", "*****", "Foster Carer", "Withheld under Data Protection", "Confidential",
    *sorted({label for pair in REDACTION_LABELS.values() for label in pair}),
])
def test_is_redacted_recognises_redaction_labels(label):
    """Labels councils publish instead of an individual's name are recognised."""
    assert is_redacted(label) is True, f"{label!r} should count as redacted"


@pytest.mark.parametrize("name", [
    "Wheels Private Hire", "Healthlinc Individual Care Ltd", "Individual Care Services Ltd", "Manchester Carers Forum",
    "Carers Trust 4All", "Personal Injury Solicitors LLP", "XL Hire", "Acme Services Ltd", "Liddy's Personal Injury Solicitors",
])
def test_is_redacted_leaves_supplier_names_alone(name):
    """Supplier names that merely contain words like 'Individual' or 'Private' are not redacted."""
    assert is_redacted(name) is False, f"{name!r} is a supplier, not a redaction label"


def test_is_redacted_series_returns_booleans_with_index():
    """A Series in gives a boolean Series out with the same index; missing names are not redacted."""
    flags = is_redacted(pd.Series(["REDACTED", "Acme Ltd", None], index=list("abc")))
    assert flags.dtype == bool, f"expected a boolean Series, got {flags.dtype}"
    assert flags.tolist() == [True, False, False], f"unexpected flags {flags.tolist()}"
    assert list(flags.index) == list("abc"), "the index should be kept"


def test_is_redacted_on_real_files_flags_exactly_the_labels(real_spend):
    """In the real files only the redaction labels are flagged (a regression test on fixed files)."""
    flagged = {name: set(df.loc[is_redacted(df["supplier_name"]), "supplier_name"]) for name, df in real_spend.items()}
    assert flagged["calderdale"] == set(), f"Calderdale publishes no redaction label, flagged {flagged['calderdale']}"
    assert flagged["manchester"] == {"Redacted Personal Information"}, f"Manchester: {flagged['manchester']}"
    assert flagged["leeds"] == {"REDACTED PERSONAL DATA", "REDACTED COMMERCIAL CONFIDENTIALITY"}, f"Leeds: {flagged['leeds']}"


def test_functions_accept_an_empty_series():
    """An empty Series gives an empty Series."""
    empty = pd.Series([], dtype="str")
    assert normalise_supplier_name(empty).empty, "normalising an empty Series should give an empty Series"
    assert is_redacted(empty).empty, "flagging an empty Series should give an empty Series"


@pytest.mark.parametrize("function", [normalise_supplier_name, is_redacted])
@pytest.mark.parametrize("bad", [None, 42, 3.5, ["Acme Ltd"], pd.Series(["Acme Ltd", 7]), pd.Series([1.5, np.nan])])
def test_functions_reject_what_is_not_text(function, bad):
    """Anything but text or a Series of text raises a TypeError that names the argument."""
    with pytest.raises(TypeError, match="name must"):
        function(bad)


# ---------------------------------------------------------------------------
# Fuzzy matching (cleaning_supplier_names): each checked against an independent computation.
# ---------------------------------------------------------------------------

LOOKALIKES = pd.Series([
    "Plas Dewi Nursing Home Ltd", "PLAS DEWI NURSING HOMES LIMITED", "Plas Derwen Nursing Home", "Plas Dewi Nursng Home",
    "Afon Heating Services", "Calon Heating Services Ltd", "Hafod Heating Services", "Brain Injury Rehabilitation Trust",
    "Brain Injury Rehabillitation Trust", "Taff Buses", "Taff Buses Ltd", "Acme Services", "Zenith Software", None,
])


def _brute_pairs(names: pd.Series, threshold: float, block_length: int, scorer=fuzz.token_sort_ratio) -> set:
    """Every pair of distinct keys scoring at least the threshold, by looping over all pairs."""
    keys = sorted(set(normalise_supplier_name(names.dropna())))
    found = set()
    for a, b in itertools.combinations(keys, 2):
        same_block = block_length == 0 or (a.replace(" ", "")[:block_length] == b.replace(" ", "")[:block_length])
        if same_block and scorer(a, b) >= threshold:
            found.add((a, b))
    return found


@pytest.mark.parametrize("block_length", [0, 1, 2, 4])
@pytest.mark.parametrize("threshold", [0, 80, 90, 100])
def test_candidate_pairs_equal_a_brute_force_loop(block_length, threshold):
    """candidate_pairs finds exactly the pairs a loop over all pairs (within blocks) finds, with the same scores."""
    pairs = candidate_pairs(LOOKALIKES, threshold, block_length=block_length)
    expected = _brute_pairs(LOOKALIKES, threshold, block_length)
    assert set(zip(pairs["left"], pairs["right"])) == expected, f"block {block_length}, threshold {threshold}"
    for row in pairs.itertuples():
        assert row.left < row.right, "each pair is listed once, left before right"
        assert np.isclose(row.score, fuzz.token_sort_ratio(row.left, row.right)), f"score of {row.left} / {row.right}"
    assert pairs["score"].is_monotonic_decreasing, "highest score first"


def test_candidate_pairs_blocking_only_removes_pairs():
    """Blocking finds a subset of the pairs found without it."""
    full = set(zip(*candidate_pairs(LOOKALIKES, 70, block_length=0)[["left", "right"]].to_numpy().T))
    blocked = set(zip(*candidate_pairs(LOOKALIKES, 70, block_length=2)[["left", "right"]].to_numpy().T))
    assert blocked <= full, f"blocking added pairs: {blocked - full}"


def test_candidate_pairs_of_too_few_names_is_empty():
    """No pairs from an empty list or a single name, with the documented columns."""
    for names in (pd.Series([], dtype=object), pd.Series(["Acme Ltd", "ACME LIMITED"])):
        pairs = candidate_pairs(names, 50)
        assert pairs.empty and list(pairs.columns) == ["left", "right", "block", "score"], f"{names.tolist()}"


def test_block_key_examples():
    """block_key keeps the first letters of the key, spaces ignored; 0 gives one block."""
    assert block_key("A1 BARRY TAXIS") == "A1"
    assert block_key("T A F F", 3) == "TAF"
    assert block_key(pd.Series(["ACME", "BETA"]), 0).tolist() == ["", ""]


@pytest.mark.parametrize("threshold", [80, 85, 90, 95])
def test_cluster_names_are_the_connected_components_networkx_finds(threshold):
    """cluster_names groups keys as networkx's connected components of the brute-force pairs do."""
    clusters = cluster_names(LOOKALIKES, threshold)
    keys = normalise_supplier_name(LOOKALIKES.dropna())
    graph = nx.Graph()
    graph.add_nodes_from(set(keys))
    graph.add_edges_from(_brute_pairs(LOOKALIKES, threshold, 2))
    expected = {frozenset(c) for c in nx.connected_components(graph)}
    found = {frozenset(keys[clusters.loc[keys.index] == label]) for label in clusters.dropna().unique()}
    assert found == expected, f"threshold {threshold}: {found ^ expected}"
    for label in clusters.dropna().unique():
        assert label in set(keys[clusters.loc[keys.index] == label]), "a cluster is labelled with one of its keys"


def test_cluster_names_keeps_index_and_missing_names_and_labels_by_frequency():
    """The result has the input's index, a missing name stays missing, and the most frequent key labels a cluster."""
    names = pd.Series(["Taff Buses", "TAFF BUSES LTD", "Taff Busses", None], index=[5, 6, 7, 8])
    clusters = cluster_names(names, 90)
    assert list(clusters.index) == [5, 6, 7, 8], "the index should be kept"
    assert pd.isna(clusters[8]), "a missing name stays missing"
    assert set(clusters.dropna()) == {"TAFF BUSES"}, f"'TAFF BUSES' occurs twice and should label the cluster: {clusters.tolist()}"


REGISTER = pd.DataFrame({
    "company_name": ["PLAS DEWI NURSING HOMES LIMITED", "PLAS DERWEN NURSING HOME LIMITED", "TAFF BUSES (WALES) LIMITED",
                     "ZENITH SOFTWARE PLC", "ACME HOLDINGS LIMITED"],
    "company_number": ["01234567", "07654321", "11111111", "22222222", "33333333"],
})


@pytest.mark.parametrize("block_length", [0, 2])
def test_match_suppliers_takes_the_best_candidate_as_extract_one_does(block_length):
    """Each key gets the register row rapidfuzz's extractOne picks (within its block), and the decision follows the thresholds."""
    matches = match_suppliers(LOOKALIKES, REGISTER, threshold=95, review_from=85, block_length=block_length)
    reg_keys = normalise_supplier_name(REGISTER["company_name"]).tolist()
    for row in matches.itertuples():
        choices = [k for k in reg_keys if block_length == 0 or block_key(k, block_length) == block_key(row.key, block_length)]
        best = process.extractOne(row.key, choices, scorer=fuzz.token_sort_ratio) if choices else None
        if best is None or best[1] == 0:
            assert row.company_number == "" and row.score == 0, f"{row.key} has no candidate"
            continue
        assert np.isclose(row.score, best[1]), f"{row.key}: score {row.score}, extractOne {best[1]}"
        assert row.company_number == REGISTER["company_number"].iloc[reg_keys.index(best[0])], f"{row.key}: wrong company"
        expected = "match" if row.score >= 95 else "review" if row.score >= 85 else "no match"
        assert row.decision == expected, f"{row.key}: {row.decision} at score {row.score:.1f}"
    assert matches["key"].is_unique and set(matches["key"]) == set(normalise_supplier_name(LOOKALIKES.dropna()))


def test_match_suppliers_counts_spellings_and_resolves_exact_names():
    """Names that normalise to a registered name score 100; 'names' counts the spellings of a key."""
    matches = match_suppliers(pd.Series(["Zenith Software", "ZENITH SOFTWARE PLC", "Zenith Software"]), REGISTER).set_index("key")
    assert matches.loc["ZENITH SOFTWARE", "company_number"] == "22222222"
    assert matches.loc["ZENITH SOFTWARE", "score"] == 100 and matches.loc["ZENITH SOFTWARE", "decision"] == "match"
    assert matches.loc["ZENITH SOFTWARE", "names"] == 2, "two different spellings share the key"


def test_score_pairs_equals_the_scorer_on_normalised_names():
    """score_pairs gives, row by row, the rapidfuzz score of the two normalised names (0 when one is missing)."""
    left = pd.Series(["Plas Dewi Nursing Home Ltd", "Care Ltd", None], index=list("abc"))
    right = pd.Series(["PLAS DEWI NURSING HOMES LIMITED", "Dewi Care Services", "Acme"], index=list("xyz"))
    for name, scorer in SCORERS.items():
        scores = score_pairs(left, right, scorer=name)
        assert list(scores.index) == list("abc"), "the index of left is kept"
        expected = [scorer(normalise_supplier_name(a), normalise_supplier_name(b)) for a, b in zip(left[:2], right[:2])]
        assert np.allclose(scores[:2], expected), f"{name}: {scores.tolist()} vs {expected}"
        assert scores["c"] == 0, "a missing name scores 0"


def test_review_queue_keeps_the_band_in_review_order():
    """review_queue keeps scores in [lower, upper), the largest weight first, then the highest score."""
    candidates = pd.DataFrame({"score": [99, 94, 90, 90, 85, 84.9, 70], "paid": [1, 5, 7, 7, 2, 100, 3],
                               "key": list("abcdefg")})
    queue = review_queue(candidates, 85, 95, weight="paid")
    assert queue["key"].tolist() == ["c", "d", "b", "e"], f"unexpected order {queue['key'].tolist()}"
    assert review_queue(candidates, 85, 95)["score"].tolist() == [94, 90, 90, 85], "by score when no weight"
    assert review_queue(candidates, 95, 95).empty, "an empty band gives an empty queue"


def _hand_counts(scores: np.ndarray, labels: np.ndarray, t: float) -> tuple[float, float, float]:
    """Precision, recall and F1 counted by hand (numpy only)."""
    predicted = scores >= t
    tp = np.sum(predicted & labels)
    precision = tp / predicted.sum() if predicted.sum() else np.nan
    recall = tp / labels.sum()
    f1 = 2 * tp / (predicted.sum() + labels.sum())
    return precision, recall, f1


def test_match_quality_equals_hand_counts_on_random_labels():
    """match_quality (scikit-learn) agrees with precision, recall and F1 counted by hand at every threshold."""
    rng = np.random.default_rng(3)
    labels = rng.random(400) < 0.3
    scores = np.clip(np.where(labels, rng.normal(92, 6, 400), rng.normal(78, 10, 400)), 0, 100).round(1)
    quality = match_quality(scores, labels, range(60, 101))
    for t, row in quality.iterrows():
        precision, recall, f1 = _hand_counts(scores, labels, t)
        assert np.allclose([row.precision, row.recall, row.f1], [precision, recall, f1], equal_nan=True), f"threshold {t}"
        assert row.true_positives + row.false_positives == row.predicted, f"threshold {t}: counts do not add up"
        assert row.true_positives + row.false_negatives == labels.sum(), f"threshold {t}: true matches do not add up"


def test_match_quality_of_a_tiny_example():
    """A worked example: at 90, two of three predicted pairs are true and two of four true pairs are found."""
    q = match_quality(pd.Series([100, 96, 91, 88, 80, 72]), pd.Series([True, True, False, True, False, True]), [90, 100])
    assert np.allclose(q.loc[90, ["precision", "recall", "f1"]].to_numpy(float), [2 / 3, 1 / 2, 4 / 7])
    assert q.loc[100, "predicted"] == 1 and q.loc[100, "precision"] == 1.0


@pytest.mark.parametrize("budget", [0, 1, 3, 10, 1000])
def test_lowest_review_floor_equals_a_brute_force_search(budget):
    """lowest_review_floor gives the lowest whole-number floor whose band fits the budget (a brute-force search)."""
    scores = np.random.default_rng(5).uniform(40, 100, 300).round(1)
    floor = lowest_review_floor(scores, 95, budget)
    fits = [f for f in range(50, 96) if ((scores >= f) & (scores < 95)).sum() <= budget]
    assert floor == (min(fits) if fits else 95), f"budget {budget}: {floor} vs {min(fits) if fits else 95}"


@pytest.mark.parametrize("call, message", [
    (lambda: candidate_pairs(["Acme"], 80), "names must"),
    (lambda: candidate_pairs(LOOKALIKES, 101), "threshold must"),
    (lambda: candidate_pairs(LOOKALIKES, 80, block_length=-1), "length must"),
    (lambda: candidate_pairs(LOOKALIKES, 80, scorer="levenshtein"), "scorer must"),
    (lambda: cluster_names(LOOKALIKES, -5), "threshold must"),
    (lambda: match_suppliers(LOOKALIKES, REGISTER, 90, review_from=95), "review_from"),
    (lambda: match_suppliers(LOOKALIKES, REGISTER.rename(columns={"company_number": "id"})), "id_column"),
    (lambda: match_suppliers(LOOKALIKES, [("Acme", "1")]), "register must"),
    (lambda: score_pairs(LOOKALIKES, LOOKALIKES[:3]), "same length"),
    (lambda: score_pairs(["Acme"], LOOKALIKES), "left must"),
    (lambda: review_queue(REGISTER.assign(score=90), 90, 80), "lower"),
    (lambda: review_queue(REGISTER.assign(score=90), 80, 95, weight="paid"), "weight"),
    (lambda: review_queue("pairs", 80, 95), "candidates must"),
    (lambda: match_quality([90, 80], [True], [85]), "same length"),
    (lambda: match_quality([], [], [85]), "at least one"),
    (lambda: match_quality([90, 80], [True, None], [85]), "labels must"),
    (lambda: match_quality([90, 80], [True, "yes"], [85]), "labels must"),
    (lambda: match_quality([90, np.nan], [True, False], [85]), "scores must"),
    (lambda: match_quality([90, 80], [True, False], [120]), "thresholds must"),
    (lambda: lowest_review_floor([90], 95, -1), "budget must"),
    (lambda: lowest_review_floor([90], 95, 2.5), "budget must"),
    (lambda: lowest_review_floor([90], 120, 2), "upper must"),
])
def test_matching_functions_reject_bad_arguments(call, message):
    """Bad arguments raise an error (TypeError or ValueError) naming the argument."""
    with pytest.raises((TypeError, ValueError), match=message):
        call()


@pytest.mark.parametrize("name", ["calderdale", "manchester", "leeds"])
def test_cleaning_supplier_names_runs_on_real_spend_files(name, tmp_path):
    """The module runs unchanged on a real spend file without a register or labels (those sections are skipped)."""
    result = run_module("cleaning_supplier_names", name.title(), data_dir=REAL / name, out_dir=tmp_path)
    assert result.ok, f"the module failed on {name}'s real spend file: {result.error}"


def test_long_columns_give_the_same_keys_as_short_ones():
    """A long column with repeated names (cleaned once per distinct name) gives the same keys and flags row by row."""
    names = pd.Series(["Acme Services Ltd.", "ACME SERVICES LIMITED", None, "Redacted Personal Information",
                       "J Evans t/a Evans & Sons Plumbing"] * 60, index=range(1000, 1300))
    long_keys, long_flags = normalise_supplier_name(names), is_redacted(names)
    for i in range(5):
        short = names.iloc[[i]]
        assert long_keys.iloc[i] == normalise_supplier_name(short).iloc[0] or (pd.isna(long_keys.iloc[i]) and pd.isna(names.iloc[i]))
        assert long_flags.iloc[i] == is_redacted(short).iloc[0]
    assert long_keys.index.equals(names.index) and long_flags.dtype == bool
