"""Stakeholders and the people who use a service: grids, segments and networks.

The functions behind the Adaption Lab's "selecting the team" module, in three parts:

- **Stakeholders.** :func:`classify_quadrant` places each stakeholder on Mendelow's
  power/interest grid, :func:`power_interest_grid` draws it and :func:`engagement_plan`
  turns it into a plan (how, how often and what to do about each stakeholder's stance),
  using the levels of the IAP2 spectrum of public participation.
- **People who use the service.** :func:`scaled_features`, :func:`silhouette_by_k` and
  :func:`segment_respondents` segment survey respondents with scikit-learn (median
  imputation, standardisation, k-means with the number of segments chosen by the
  silhouette); :func:`describe_segments` and :func:`describe_in_words` describe the
  segments in numbers and in plain words, the raw material of personas.
- **Who knows whom.** :func:`build_network` makes a networkx graph of stakeholders and
  their connections, :func:`broker_table` ranks them by betweenness centrality (the
  brokers who link otherwise separate groups) and :func:`draw_network` draws it.

Nothing happens on import.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.impute import SimpleImputer
from sklearn.metrics import silhouette_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from curriculum.threads import one_thread

__all__ = [
    "QUADRANTS", "STANCES", "ENGAGEMENT", "STANCE_ACTIONS", "LIKERT_QUESTIONS", "SEGMENT_FEATURES",
    "classify_quadrant", "power_interest_grid", "engagement_plan",
    "scaled_features", "silhouette_by_k", "segment_respondents", "Segmentation",
    "describe_segments", "describe_in_words",
    "build_network", "network_communities", "broker_table", "draw_network",
]

#: The four quadrants of the power/interest grid (Mendelow, 1991), in order of priority.
QUADRANTS: tuple[str, ...] = ("Manage closely", "Keep satisfied", "Keep informed", "Monitor")

#: Stances towards the change, from most to least favourable.
STANCES: tuple[str, ...] = ("Champion", "Supportive", "Neutral", "Sceptical", "Opposed")

#: How each quadrant is engaged: the IAP2 level, the means and how often.
ENGAGEMENT: dict[str, dict[str, str]] = {
    "Manage closely": {"engagement": "Collaborate",
                       "how": "A seat on the redesign team or steering group; co-design sessions; one-to-one meetings",
                       "frequency": "Fortnightly"},
    "Keep satisfied": {"engagement": "Consult",
                       "how": "Briefings before each decision point; papers shared before they go public",
                       "frequency": "Monthly and at decision points"},
    "Keep informed": {"engagement": "Involve",
                      "how": "Co-design workshops, a user panel, visits to their groups; ask for their experience",
                      "frequency": "Monthly"},
    "Monitor": {"engagement": "Inform",
                "how": "Newsletter, web page and an open invitation to events",
                "frequency": "Quarterly"},
}

#: What to do about a stakeholder's current stance.
STANCE_ACTIONS: dict[str, str] = {
    "Champion": "Ask them to champion the redesign in their own networks",
    "Supportive": "Keep them close and ask for specific help",
    "Neutral": "Show what the redesign offers them and the people they serve",
    "Sceptical": "Meet one to one to hear their concerns; show how the design answers them",
    "Opposed": "Meet early to understand the objection; record how it is addressed",
}
_UNKNOWN_STANCE_ACTION = "Find out where they stand"
_BROKER_ACTION = "Broker: ask them to carry messages between groups that rarely meet"

#: The survey statements rated from 1 (strongly disagree) to 5 (strongly agree).
LIKERT_QUESTIONS: dict[str, str] = {
    "easy_to_contact": "It is easy to get in touch with the service",
    "prefer_online": "I would rather sort things out online",
    "prefer_in_person": "I prefer to talk to someone face to face",
    "repeat_story": "I have had to repeat my story to different people",
    "listened_to": "I feel listened to about what matters to me",
    "out_of_hours": "I need help outside office hours",
    "know_local_help": "I know where to find help in my community",
}

#: The survey columns the segmentation uses: the statements and the contacts in a year.
SEGMENT_FEATURES: tuple[str, ...] = (*LIKERT_QUESTIONS, "contacts_last_year")


# --------------------------------------------------------------------------- checks
def _columns(frame: pd.DataFrame, columns: Iterable[str], name: str = "frame") -> list[str]:
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    wanted = [columns] if isinstance(columns, str) else list(columns)
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} has no column(s) {missing}; its columns are: {', '.join(map(str, frame.columns))}")
    return wanted


def _scores(name: str, values, low: float = 1.0, high: float = 5.0) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must hold numbers from {low:g} to {high:g}, got {values!r}") from None
    if np.isnan(array).any():
        raise ValueError(f"{name} must not hold missing values: score every stakeholder from {low:g} to {high:g}")
    if ((array < low) | (array > high)).any():
        bad = array[(array < low) | (array > high)]
        raise ValueError(f"{name} must be scores from {low:g} to {high:g}, got {bad[:5].tolist()}")
    return array


def _seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a whole number of at least 0, got {seed!r}")
    return int(seed)


def _k_range(k_range, n: int) -> list[int]:
    try:
        ks = sorted({int(k) for k in k_range})
    except (TypeError, ValueError):
        raise ValueError(f"k_range must be whole numbers of segments, got {k_range!r}") from None
    if not ks or ks[0] < 2:
        raise ValueError(f"k_range must hold numbers of segments of at least 2, got {list(k_range)!r}")
    if ks[-1] >= n:
        raise ValueError(f"k_range goes up to {ks[-1]} segments but there are only {n} respondents; "
                         "ask for fewer segments than respondents")
    return ks


# ----------------------------------------------------------------- stakeholders
def classify_quadrant(power, interest, cut: float = 3.0):
    """Place stakeholders on the power/interest grid.

    A score above ``cut`` counts as high. High power and high interest: *Manage
    closely* (key players); high power, low interest: *Keep satisfied*; low power,
    high interest: *Keep informed*; low on both: *Monitor* (Mendelow, 1991).

    Parameters
    ----------
    power : int, float or array-like
        Power over the change, scored 1 (none) to 5 (can stop or make it happen).
    interest : int, float or array-like
        Interest in the change, scored 1 to 5; the same shape as ``power``.
    cut : float, default 3.0
        Scores above this are high; with the default, 4 and 5 are high and 1 to 3 low.

    Returns
    -------
    str or pandas.Series
        One of :data:`QUADRANTS` for scalar scores; otherwise a Series of them named
        ``"quadrant"`` (with ``power``'s index when it is a Series).

    Raises
    ------
    ValueError
        If a score is missing or outside 1 to 5, the shapes differ or ``cut`` is
        outside 1 to 5.

    Examples
    --------
    >>> classify_quadrant(5, 2)
    'Keep satisfied'
    >>> classify_quadrant([4, 1], [5, 3]).tolist()
    ['Manage closely', 'Monitor']
    """
    threshold = float(_scores("cut", cut))
    p = _scores("power", power)
    i = _scores("interest", interest)
    if p.shape != i.shape:
        raise ValueError(f"power and interest must have the same length, got {p.size} and {i.size}")
    labels = np.select([(p > threshold) & (i > threshold), p > threshold, i > threshold],
                       list(QUADRANTS[:3]), default=QUADRANTS[3])
    if p.ndim == 0:
        return str(labels)
    index = power.index if isinstance(power, pd.Series) else None
    return pd.Series(labels, index=index, name="quadrant", dtype=object)


def _spread(power: np.ndarray, interest: np.ndarray, radius: float) -> tuple[np.ndarray, np.ndarray]:
    """Offsets that put stakeholders with the same scores on a small ring around them."""
    dx, dy = np.zeros(len(power)), np.zeros(len(power))
    groups = pd.DataFrame({"p": power, "i": interest}).groupby(["p", "i"]).indices
    for members in groups.values():
        n = len(members)
        if n > 1:
            angle = np.pi / 2 + 2 * np.pi * np.arange(n) / n
            scale = radius * min(1.0, 0.5 + n / 10)
            dx[members], dy[members] = scale * np.cos(angle), scale * np.sin(angle)
    return dx, dy


def power_interest_grid(stakeholders: pd.DataFrame, *, cut: float = 3.0, label: str | None = "stakeholder",
                        stance: str | None = "stance", ax=None, spread: float = 0.3, title: str | None = None):
    """Draw the power/interest grid, one point per stakeholder coloured by stance.

    Stakeholders with the same scores are set on a small ring around their scores
    so that every point shows (the same layout every time); the dashed lines sit
    between ``cut`` and the next score, and each quadrant carries its name.

    Parameters
    ----------
    stakeholders : pandas.DataFrame
        One row per stakeholder with ``power`` and ``interest`` scores (1 to 5).
    cut : float, default 3.0
        Scores above this are high (see :func:`classify_quadrant`).
    label : str or None, default "stakeholder"
        Column whose values label the points; None for no labels.
    stance : str or None, default "stance"
        Column of stances (:data:`STANCES`) that colours the points; None for one colour.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure when None.
    spread : float, default 0.3
        Radius of the ring on which stakeholders with equal scores are set (0 to 0.5).
    title : str, optional
        The chart title.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If a column is missing, a score is outside 1 to 5 or ``spread`` is outside 0 to 0.5.
    """
    import matplotlib.pyplot as plt

    needed = ["power", "interest"] + [c for c in (label, stance) if c is not None]
    _columns(stakeholders, needed, "stakeholders")
    p = _scores("power", stakeholders["power"])
    i = _scores("interest", stakeholders["interest"])
    classify_quadrant(p, i, cut)  # checks cut
    radius = float(_scores("spread", spread, 0.0, 0.5))
    dx, dy = _spread(p, i, radius)
    x, y = i + dx, p + dy
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 7))
    line = cut + 0.5
    centres = {"Manage closely": ((line + 5.5) / 2, (line + 5.5) / 2), "Keep satisfied": ((0.5 + line) / 2, (line + 5.5) / 2),
               "Keep informed": ((line + 5.5) / 2, (0.5 + line) / 2), "Monitor": ((0.5 + line) / 2, (0.5 + line) / 2)}
    for name, (cx, cy) in centres.items():
        ax.text(cx, cy, name, ha="center", va="center", fontsize=18, fontweight="bold", color="#000000", alpha=0.08, zorder=0)
    palette = dict(zip(STANCES, ["#12436D", "#28A197", "#8c8c8c", "#F46A25", "#801650"]))
    if stance is None:
        ax.scatter(x, y, color="#12436D", s=40, zorder=3)
    else:
        values = stakeholders[stance].astype(object).where(stakeholders[stance].notna(), "Not known")
        for name in [*STANCES, "Not known"]:
            chosen = (values == name).to_numpy()
            if chosen.any():
                ax.scatter(x[chosen], y[chosen], color=palette.get(name, "#cccccc"), s=40, zorder=3,
                           label=name, edgecolor="white", linewidth=0.5)
        ax.legend(title="Current stance", loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    if label is not None:
        for xi, yi, text in zip(x, y, stakeholders[label].astype(str)):
            ax.annotate(text, (xi, yi), xytext=(4, 3), textcoords="offset points", fontsize=7, color="#333333")
    ax.axvline(line, color="black", linestyle="--", linewidth=1)
    ax.axhline(line, color="black", linestyle="--", linewidth=1)
    ax.set(xlim=(0.5, 5.5), ylim=(0.5, 5.5), xticks=range(1, 6), yticks=range(1, 6),
           xlabel="Interest in the change (1-5)", ylabel="Power over the change (1-5)",
           title=title or "Power and interest")
    ax.grid(False)
    return ax


def engagement_plan(stakeholders: pd.DataFrame, *, cut: float = 3.0, brokers: Iterable[str] = (),
                    key: str = "stakeholder") -> pd.DataFrame:
    """Turn the power/interest grid into an engagement plan.

    Each stakeholder gets the engagement level, means and frequency of its quadrant
    (:data:`ENGAGEMENT`) and an action for its stance (:data:`STANCE_ACTIONS`);
    brokers (for example from :func:`broker_table`) are also asked to carry messages.
    Rows are in order of priority: by quadrant (:data:`QUADRANTS`); within a quadrant
    stances nobody knows yet first (find out), then the least favourable stance
    first, then power and interest from high to low.

    Parameters
    ----------
    stakeholders : pandas.DataFrame
        One row per stakeholder with ``key``, ``power``, ``interest`` and, if known,
        ``stance``, ``organisation`` and ``role``.
    cut : float, default 3.0
        Scores above this are high (see :func:`classify_quadrant`).
    brokers : iterable of str, default ()
        Stakeholders (values of ``key``) who broker between groups.
    key : str, default "stakeholder"
        Column naming each stakeholder once.

    Returns
    -------
    pandas.DataFrame
        Columns ``priority`` (1 first), ``key``, ``organisation``, ``role``, ``power``,
        ``interest``, ``stance``, ``quadrant``, ``engagement``, ``how``, ``frequency``
        and ``action``, one row per stakeholder.

    Raises
    ------
    ValueError
        If a column is missing, ``key`` repeats, a score is out of range or a broker
        is not a stakeholder.

    Examples
    --------
    >>> table = pd.DataFrame({"stakeholder": ["A", "B"], "power": [2, 5], "interest": [5, 5],
    ...                       "stance": ["Supportive", "Sceptical"]})
    >>> engagement_plan(table)[["stakeholder", "quadrant", "engagement"]].values.tolist()
    [['B', 'Manage closely', 'Collaborate'], ['A', 'Keep informed', 'Involve']]
    """
    _columns(stakeholders, [key, "power", "interest"], "stakeholders")
    if not stakeholders[key].is_unique:
        repeated = stakeholders.loc[stakeholders[key].duplicated(), key].tolist()
        raise ValueError(f"column {key!r} must name each stakeholder once, but {repeated[:5]} repeat")
    broker_set = set(brokers) if not isinstance(brokers, str) else {brokers}
    unknown = broker_set - set(stakeholders[key])
    if unknown:
        raise ValueError(f"brokers {sorted(unknown)[:5]} are not stakeholders in column {key!r}")
    plan = pd.DataFrame({key: stakeholders[key].to_numpy()})
    for column in ("organisation", "role"):
        plan[column] = stakeholders[column].to_numpy() if column in stakeholders.columns else pd.NA
    plan["power"] = stakeholders["power"].to_numpy()
    plan["interest"] = stakeholders["interest"].to_numpy()
    plan["stance"] = stakeholders["stance"].to_numpy() if "stance" in stakeholders.columns else pd.NA
    plan["quadrant"] = classify_quadrant(stakeholders["power"].to_numpy(), stakeholders["interest"].to_numpy(), cut).to_numpy()
    for column in ("engagement", "how", "frequency"):
        plan[column] = plan["quadrant"].map(lambda q, c=column: ENGAGEMENT[q][c])
    actions = plan["stance"].map(lambda s: STANCE_ACTIONS.get(s, _UNKNOWN_STANCE_ACTION) if isinstance(s, str) else _UNKNOWN_STANCE_ACTION)
    is_broker = plan[key].isin(broker_set)
    plan["action"] = np.where(is_broker, actions + ". " + _BROKER_ACTION, actions)
    stance_rank = plan["stance"].map(lambda s: STANCES.index(s) if s in STANCES else len(STANCES))
    order = pd.DataFrame({"q": plan["quadrant"].map(QUADRANTS.index), "s": -stance_rank,
                          "p": -plan["power"], "i": -plan["interest"], "k": plan[key].astype(str)})
    plan = plan.loc[order.sort_values(["q", "s", "p", "i", "k"]).index].reset_index(drop=True)
    plan.insert(0, "priority", np.arange(1, len(plan) + 1))
    return plan


# ------------------------------------------------------------------- segments
def _feature_frame(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    wanted = _columns(frame, columns, "frame")
    if not wanted:
        raise ValueError("columns must name at least one survey column")
    values = frame[wanted]
    for column in wanted:
        if not (pd.api.types.is_numeric_dtype(values[column]) or pd.api.types.is_bool_dtype(values[column])):
            raise ValueError(f"column {column!r} must hold numbers (for example answers coded 1 to 5), "
                             f"got {values[column].dtype}")
        if values[column].isna().all():
            raise ValueError(f"column {column!r} holds no answers at all; leave it out of columns")
    return values.astype(float)


def _preprocess() -> Pipeline:
    return make_pipeline(SimpleImputer(strategy="median"), StandardScaler())


def scaled_features(frame: pd.DataFrame, columns: Sequence[str] = SEGMENT_FEATURES) -> pd.DataFrame:
    """Return survey answers ready for clustering: gaps filled, every column standardised.

    A skipped answer is replaced by the column's median (scikit-learn's
    ``SimpleImputer``); then each column becomes a z-score, mean 0 and standard
    deviation 1 (``StandardScaler``, population standard deviation), so that a count
    of contacts and a 1-5 rating weigh the same in the distances k-means uses.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per respondent.
    columns : sequence of str, default SEGMENT_FEATURES
        Numeric columns to use.

    Returns
    -------
    pandas.DataFrame
        The z-scores, with ``frame``'s index and the columns given.

    Raises
    ------
    ValueError
        If a column is missing, not numeric or entirely empty, or ``frame`` has fewer
        than two rows.

    Examples
    --------
    >>> answers = pd.DataFrame({"a": [1.0, 3.0, None], "b": [10.0, 20.0, 30.0]})
    >>> scaled_features(answers, ["a", "b"]).round(3)["b"].tolist()
    [-1.225, 0.0, 1.225]
    """
    values = _feature_frame(frame, columns)
    if len(values) < 2:
        raise ValueError(f"frame must have at least two respondents, got {len(values)}")
    scaled = _preprocess().fit_transform(values)
    return pd.DataFrame(scaled, index=frame.index, columns=values.columns)


def _kmeans(k: int, seed: int, n_init: int) -> KMeans:
    return KMeans(n_clusters=k, n_init=n_init, random_state=seed)


def silhouette_by_k(scaled: pd.DataFrame | np.ndarray, k_range: Iterable[int] = range(2, 7), *,
                    seed: int = 0, n_init: int = 10) -> pd.Series:
    """Return the mean silhouette of k-means segmentations for each number of segments.

    The silhouette of a respondent compares the mean distance to the others in its
    segment (*a*) with the mean distance to the nearest other segment (*b*):
    ``(b - a) / max(a, b)``, from -1 (in the wrong segment) to 1 (well inside its
    own). The mean over respondents is highest for the number of segments that
    best separates them.

    Parameters
    ----------
    scaled : pandas.DataFrame or numpy.ndarray
        Standardised answers without gaps (see :func:`scaled_features`).
    k_range : iterable of int, default range(2, 7)
        Numbers of segments to try, each at least 2 and fewer than the respondents.
    seed : int, default 0
        Seed of k-means' starting points.
    n_init : int, default 10
        Number of k-means starts; the best is kept.

    Returns
    -------
    pandas.Series
        The mean silhouette, indexed by the number of segments ``k``.

    Raises
    ------
    ValueError
        If ``scaled`` has gaps, ``k_range`` is empty or out of range, or ``seed`` is invalid.
    """
    X = np.asarray(scaled, dtype=float)
    if X.ndim != 2 or np.isnan(X).any():
        raise ValueError("scaled must be a table of numbers without gaps: use scaled_features first")
    ks = _k_range(k_range, len(X))
    rng_seed = _seed(seed)
    with one_thread("openmp"):  # small surveys: more k-means threads only slow a shared hub
        scores = {k: float(silhouette_score(X, _kmeans(k, rng_seed, n_init).fit_predict(X))) for k in ks}
    return pd.Series(scores, name="silhouette").rename_axis("k")


@dataclass(frozen=True)
class Segmentation:
    """The result of :func:`segment_respondents`."""

    labels: pd.Series
    """Each respondent's segment, 1 to ``k`` (1 the largest), with the survey's index."""
    k: int
    """The number of segments chosen."""
    silhouettes: pd.Series
    """Mean silhouette for each number of segments tried."""
    centres: pd.DataFrame
    """Each segment's centre in the original units (gaps filled with the median), indexed by segment."""
    pipeline: Pipeline
    """The fitted scikit-learn pipeline (imputer, scaler, k-means) for ``k`` segments."""


def segment_respondents(frame: pd.DataFrame, columns: Sequence[str] = SEGMENT_FEATURES, *,
                        k_range: Iterable[int] = range(2, 7), k: int | None = None,
                        seed: int = 0, n_init: int = 10) -> Segmentation:
    """Segment survey respondents with k-means, choosing the number of segments by silhouette.

    The pipeline fills gaps with each column's median, standardises every column and
    runs k-means for each number of segments in ``k_range``; the one with the highest
    mean silhouette is kept (or ``k`` when given). Segment numbers are arbitrary in
    k-means; here they are renumbered 1, 2, ... from the largest segment down so that
    reruns read the same.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per respondent.
    columns : sequence of str, default SEGMENT_FEATURES
        Numeric columns to segment on.
    k_range : iterable of int, default range(2, 7)
        Numbers of segments to try (each at least 2 and fewer than the respondents).
    k : int, optional
        Use this number of segments instead of the best silhouette (it is added to the
        numbers tried).
    seed : int, default 0
        Seed of k-means' starting points: the same data and seed give the same segments.
    n_init : int, default 10
        Number of k-means starts.

    Returns
    -------
    Segmentation
        Labels, the number of segments, silhouettes, centres and the fitted pipeline.

    Raises
    ------
    ValueError
        If a column is missing, not numeric or empty, ``k_range`` or ``k`` is invalid,
        or ``seed`` is not a whole number of at least 0.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> answers = pd.DataFrame({"a": np.r_[rng.normal(1, .2, 30), rng.normal(5, .2, 30)],
    ...                         "b": np.r_[rng.normal(2, .2, 30), rng.normal(4, .2, 30)]})
    >>> segment_respondents(answers, ["a", "b"], k_range=range(2, 5)).k
    2
    """
    values = _feature_frame(frame, columns)
    rng_seed = _seed(seed)
    tried = list(k_range) + ([k] if k is not None else [])
    ks = _k_range(tried, len(values))
    X = _preprocess().fit_transform(values)
    silhouettes = silhouette_by_k(X, ks, seed=rng_seed, n_init=n_init)
    chosen = int(k) if k is not None else int(silhouettes.idxmax())
    pipeline = Pipeline(_preprocess().steps + [("kmeans", _kmeans(chosen, rng_seed, n_init))])
    with one_thread("openmp"):  # small surveys: more k-means threads only slow a shared hub
        raw = pipeline.fit_predict(values)
    sizes = pd.Series(raw).value_counts()
    order = sorted(sizes.index, key=lambda c: (-sizes[c], c))
    renumber = {old: new for new, old in enumerate(order, start=1)}
    labels = pd.Series([renumber[c] for c in raw], index=frame.index, name="segment")
    filled = pd.DataFrame(pipeline[0].transform(values), index=frame.index, columns=values.columns)
    centres = filled.groupby(labels).mean().rename_axis("segment")
    return Segmentation(labels=labels, k=chosen, silhouettes=silhouettes, centres=centres, pipeline=pipeline)


def describe_segments(frame: pd.DataFrame, labels: pd.Series, numeric: Sequence[str] = SEGMENT_FEATURES, *,
                      flags: Sequence[str] = (), categories: Sequence[str] = ()) -> pd.DataFrame:
    """Describe each segment: its size, average answers, shares and most common categories.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per respondent.
    labels : pandas.Series
        Each respondent's segment, with ``frame``'s index (for example
        :attr:`Segmentation.labels`).
    numeric : sequence of str, default SEGMENT_FEATURES
        Columns averaged over those who answered.
    flags : sequence of str, default ()
        Yes/no columns, reported as the share answering yes (column ``<name>_share``).
    categories : sequence of str, default ()
        Text columns, reported as the most common answer (``<name>_most_common``)
        and its share among those who answered (``<name>_most_common_share``).

    Returns
    -------
    pandas.DataFrame
        Indexed by segment, with ``respondents``, ``share`` and the columns above.
        A row ``"All respondents"`` is not included; compare with the frame itself.

    Raises
    ------
    ValueError
        If a column is missing or ``labels`` does not cover every respondent.
    """
    _columns(frame, [*numeric, *flags, *categories], "frame")
    if not isinstance(labels, pd.Series) or not labels.index.equals(frame.index) or labels.isna().any():
        raise ValueError("labels must be a Series giving every respondent of frame a segment, with frame's index")
    groups = frame.groupby(labels.rename("segment"))
    profile = pd.DataFrame({"respondents": groups.size()})
    profile["share"] = profile["respondents"] / len(frame)
    for column in numeric:
        profile[column] = groups[column].mean()
    for column in flags:
        profile[f"{column}_share"] = groups[column].apply(lambda s: s.dropna().astype(float).mean() if s.notna().any() else np.nan)
    for column in categories:
        def top(series: pd.Series):
            counts = series.dropna().value_counts()
            return (counts.index[0], counts.iloc[0] / counts.sum()) if len(counts) else (pd.NA, np.nan)
        tops = groups[column].apply(top)
        profile[f"{column}_most_common"] = tops.map(lambda t: t[0])
        profile[f"{column}_most_common_share"] = tops.map(lambda t: t[1]).astype(float)
    return profile.rename_axis("segment")


def describe_in_words(frame: pd.DataFrame, labels: pd.Series, numeric: Sequence[str] = SEGMENT_FEATURES, *,
                      names: Mapping[str, str] | None = None, flags: Mapping[str, str] | None = None,
                      categories: Mapping[str, str] | None = None, top: int = 2) -> pd.Series:
    """Describe each segment in a plain-English sentence or two, the raw material of a persona.

    For each segment: its size; the most common answer to each category; the flags it
    holds clearly more or less often than everyone (10 points or more); and the
    ``top`` answers on which it stands furthest above and below all respondents
    (in standard deviations), with the difference in points.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per respondent.
    labels : pandas.Series
        Each respondent's segment, with ``frame``'s index.
    numeric : sequence of str, default SEGMENT_FEATURES
        Numeric columns to compare.
    names : mapping, optional
        Words for the numeric columns (default :data:`LIKERT_QUESTIONS`, with
        "contacts in the last year"); other columns are named as they are.
    flags : mapping, optional
        Yes/no columns and what a yes means, e.g. ``{"carer": "are unpaid carers"}``.
    categories : mapping, optional
        Text columns and how to introduce their most common answer, e.g.
        ``{"age_band": "most often aged"}``.
    top : int, default 2
        How many answers above and below everyone's to mention.

    Returns
    -------
    pandas.Series
        One description per segment, indexed by segment.

    Raises
    ------
    ValueError
        If a column is missing, ``labels`` does not fit ``frame`` or ``top`` is below 1.
    """
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"top must be a whole number of at least 1, got {top!r}")
    flags = dict(flags or {})
    categories = dict(categories or {})
    words = {**LIKERT_QUESTIONS, "contacts_last_year": "contacts in the last year", **dict(names or {})}
    profile = describe_segments(frame, labels, numeric, flags=list(flags), categories=list(categories))
    overall = frame[list(numeric)].astype(float)
    mean, sd = overall.mean(), overall.std(ddof=0).replace(0, np.nan)
    texts = {}
    for segment, row in profile.iterrows():
        parts = [f"Segment {segment}: {int(row['respondents'])} respondents ({row['share']:.0%})."]
        for column, intro in categories.items():
            value = row[f"{column}_most_common"]
            if isinstance(value, str):
                parts.append(f"{intro[0].upper()}{intro[1:]} {value} ({row[f'{column}_most_common_share']:.0%}).")
        everyone = {c: frame[c].dropna().astype(float).mean() for c in flags}
        for column, meaning in flags.items():
            share = row[f"{column}_share"]
            if pd.notna(share) and abs(share - everyone[column]) >= 0.10:
                parts.append(f"{share:.0%} {meaning} (all respondents: {everyone[column]:.0%}).")
        z = ((pd.Series({c: row[c] for c in numeric}) - mean) / sd).dropna()
        high = z[z > 0.3].sort_values(ascending=False).head(top)
        low = z[z < -0.3].sort_values().head(top)

        def said(columns: pd.Index, row: pd.Series = row) -> str:
            items = []
            for c in columns:
                text = words.get(c, c)
                if c in LIKERT_QUESTIONS:
                    items.append(f"'{text}' ({row[c]:.1f} against {mean[c]:.1f} out of 5)")
                else:
                    items.append(f"{text} ({row[c]:.1f} against {mean[c]:.1f})")
            return "; ".join(items)
        if len(high):
            parts.append(f"Compared with all respondents, higher on {said(high.index)}.")
        if len(low):
            parts.append(f"Lower on {said(low.index)}.")
        texts[segment] = " ".join(parts)
    return pd.Series(texts, name="description").rename_axis("segment")


# -------------------------------------------------------------------- network
def build_network(stakeholders: pd.DataFrame, connections: pd.DataFrame, *, key: str = "stakeholder",
                  source: str = "source", target: str = "target", kind: str | None = "kind") -> nx.Graph:
    """Build the network of who knows whom: stakeholders as nodes, connections as edges.

    Connections are treated as two-way (if A works with B, B can reach A); a pair
    listed more than once is one edge whose ``kind`` lists every kind given. Every
    stakeholder is a node, even with no connection, and carries its row's columns as
    attributes.

    Parameters
    ----------
    stakeholders : pandas.DataFrame
        One row per stakeholder, named once in column ``key``.
    connections : pandas.DataFrame
        One row per connection, with the two stakeholders in ``source`` and ``target``.
    key : str, default "stakeholder"
        The column naming stakeholders.
    source, target : str, default "source", "target"
        The columns of ``connections`` holding its two ends.
    kind : str or None, default "kind"
        Column describing the connection (for example "works with"); None if there is none.

    Returns
    -------
    networkx.Graph

    Raises
    ------
    ValueError
        If a column is missing, a stakeholder is named twice, a connection joins a
        stakeholder to itself or names someone who is not in the stakeholder table.

    Examples
    --------
    >>> people = pd.DataFrame({"stakeholder": ["A", "B", "C"]})
    >>> links = pd.DataFrame({"source": ["A", "B"], "target": ["B", "C"], "kind": ["works with", "knows"]})
    >>> sorted(build_network(people, links).degree)
    [('A', 1), ('B', 2), ('C', 1)]
    """
    _columns(stakeholders, [key], "stakeholders")
    _columns(connections, [source, target] + ([kind] if kind else []), "connections")
    if stakeholders[key].isna().any() or not stakeholders[key].is_unique:
        repeated = stakeholders.loc[stakeholders[key].duplicated(), key].tolist()
        raise ValueError(f"stakeholders column {key!r} must name each stakeholder once, without gaps; repeated: {repeated[:5]}")
    known = set(stakeholders[key])
    ends = pd.concat([connections[source], connections[target]])
    unknown = sorted(set(ends.dropna()) - known)
    if unknown or ends.isna().any():
        detail = f"{unknown[:5]}" + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
        raise ValueError(f"connections name stakeholders that are not in the stakeholder table: {detail or 'blank names'}. "
                         f"Correct the names in columns {source!r} and {target!r}, or add the people to the table")
    loops = connections[connections[source] == connections[target]]
    if len(loops):
        raise ValueError(f"connections join a stakeholder to themselves: {loops[source].tolist()[:5]}; remove those rows")
    graph = nx.Graph()
    for record in stakeholders.to_dict("records"):
        graph.add_node(record[key], **{k: v for k, v in record.items() if k != key})
    for row in connections.itertuples(index=False):
        a, b = getattr(row, source), getattr(row, target)
        label = getattr(row, kind) if kind else None
        label = label if isinstance(label, str) and label else None
        if graph.has_edge(a, b):
            kinds = graph.edges[a, b]["kinds"]
            if label and label not in kinds:
                kinds.append(label)
        else:
            graph.add_edge(a, b, kinds=[label] if label else [])
    for a, b, data in graph.edges(data=True):
        data["kind"] = ", ".join(data["kinds"])
    return graph


def network_communities(graph: nx.Graph) -> pd.Series:
    """Return each stakeholder's community: groups more connected inside than between.

    Uses networkx's greedy modularity maximisation (Clauset, Newman and Moore, 2004);
    communities are numbered 1, 2, ... from the largest. Stakeholders with no
    connection form communities of one.

    Parameters
    ----------
    graph : networkx.Graph
        The network (see :func:`build_network`).

    Returns
    -------
    pandas.Series
        The community of each stakeholder, named ``"community"``.

    Raises
    ------
    ValueError
        If ``graph`` is not a networkx graph or has no nodes.
    """
    if not isinstance(graph, nx.Graph) or graph.number_of_nodes() == 0:
        raise ValueError("graph must be a networkx Graph with at least one stakeholder")
    if graph.number_of_edges() == 0:
        groups = [{node} for node in graph.nodes]
    else:
        groups = nx.community.greedy_modularity_communities(graph)
    groups = sorted(groups, key=lambda g: (-len(g), min(map(str, g))))
    membership = {node: number for number, members in enumerate(groups, start=1) for node in members}
    return pd.Series(membership, name="community").rename_axis("stakeholder").loc[list(graph.nodes)]


def broker_table(graph: nx.Graph, top: int | None = None, attributes: Sequence[str] = ("organisation", "role", "power", "interest")) -> pd.DataFrame:
    """Rank stakeholders by betweenness centrality: the brokers between groups.

    A stakeholder's betweenness is the share of shortest paths between other pairs of
    stakeholders that pass through them (Freeman, 1977; networkx's normalised
    ``betweenness_centrality``, 0 to 1). Brokers with high betweenness link groups
    that otherwise rarely meet; they are not necessarily the most connected
    (``degree``) or the most powerful. ``communities_reached`` counts the communities
    (:func:`network_communities`) among a stakeholder and their contacts.

    Parameters
    ----------
    graph : networkx.Graph
        The network (see :func:`build_network`).
    top : int, optional
        Keep only this many rows.
    attributes : sequence of str
        Node attributes to show where the nodes have them.

    Returns
    -------
    pandas.DataFrame
        Indexed by stakeholder, sorted by ``betweenness`` (then degree and name), with
        ``betweenness``, ``degree``, ``communities_reached`` and the attributes.

    Raises
    ------
    ValueError
        If ``graph`` is not a networkx graph with nodes, or ``top`` is not a whole
        number of at least 1.
    """
    if top is not None and (isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1):
        raise ValueError(f"top must be a whole number of at least 1, got {top!r}")
    community = network_communities(graph)
    between = nx.betweenness_centrality(graph, normalized=True)
    table = pd.DataFrame({
        "betweenness": pd.Series(between),
        "degree": pd.Series(dict(graph.degree)),
        "communities_reached": pd.Series({n: len({community[n], *(community[m] for m in graph.neighbors(n))})
                                          for n in graph.nodes}),
    }).rename_axis("stakeholder")
    for attribute in attributes:
        values = nx.get_node_attributes(graph, attribute)
        if values:
            table[attribute] = pd.Series(values)
    table["_name"] = table.index.astype(str)
    table = table.sort_values(["betweenness", "degree", "_name"], ascending=[False, False, True]).drop(columns="_name")
    return table.head(top) if top is not None else table


def draw_network(graph: nx.Graph, *, brokers: Iterable[str] = (), colour_by: str | None = "sector", ax=None,
                 seed: int = 1, title: str | None = None, describe_by: str | None = "role"):
    """Draw the network of who knows whom, with brokers highlighted and labelled.

    Node positions come from a seeded spring layout (the same every run); node size
    grows with betweenness centrality.

    Parameters
    ----------
    graph : networkx.Graph
        The network (see :func:`build_network`).
    brokers : iterable of str, default ()
        Stakeholders to ring and label.
    colour_by : str or None, default "sector"
        Node attribute that colours the nodes; None for one colour.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure when None.
    seed : int, default 1
        Seed of the layout.
    title : str, optional
        The chart title.
    describe_by : str or None, default "role"
        Node attribute shown under a broker's name; None for the name alone.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``graph`` has no nodes or a broker is not in it.
    """
    import matplotlib.pyplot as plt

    if not isinstance(graph, nx.Graph) or graph.number_of_nodes() == 0:
        raise ValueError("graph must be a networkx Graph with at least one stakeholder")
    chosen = [brokers] if isinstance(brokers, str) else list(brokers)
    missing = [b for b in chosen if b not in graph]
    if missing:
        raise ValueError(f"brokers {missing[:5]} are not in the network")
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 7))
    position = nx.spring_layout(graph, seed=_seed(seed), k=1.2 / np.sqrt(graph.number_of_nodes()))
    between = nx.betweenness_centrality(graph)
    sizes = [60 + 900 * between[n] for n in graph.nodes]
    colours = ["#12436D"] * graph.number_of_nodes()
    handles = []
    if colour_by is not None:
        groups = [graph.nodes[n].get(colour_by) for n in graph.nodes]
        levels = sorted({g for g in groups if isinstance(g, str)})
        cmap = plt.get_cmap("tab10")
        lookup = {g: cmap(i % 10) for i, g in enumerate(levels)}
        colours = [lookup.get(g, "#cccccc") for g in groups]
        from matplotlib.lines import Line2D
        handles = [Line2D([], [], marker="o", linestyle="", color=lookup[g], label=g) for g in levels]
    nx.draw_networkx_edges(graph, position, ax=ax, edge_color="#bbbbbb", width=0.8)
    nx.draw_networkx_nodes(graph, position, ax=ax, node_size=sizes, node_color=colours, edgecolors="white", linewidths=0.5)
    if chosen:
        nx.draw_networkx_nodes(graph, position, nodelist=chosen, ax=ax, node_size=[60 + 900 * between[n] for n in chosen],
                               node_color="none", edgecolors="#801650", linewidths=2.5)
        for n in chosen:
            extra = graph.nodes[n].get(describe_by) if describe_by else None
            text = f"{n}\n{extra}" if isinstance(extra, str) and extra else str(n)
            ax.annotate(text, position[n], xytext=(0, 12), textcoords="offset points", ha="center", va="bottom",
                        fontsize=8.5, color="#801650", fontweight="bold",
                        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})
    if handles:
        ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    ax.set_title(title or "Who knows whom")
    ax.set_axis_off()
    return ax
