"""Schemas of the datasets the modules use, enforced with pandera.

New dataset kinds are added by appending ``NAME = _register(pa.DataFrameSchema(...))``
at the end of this module, with ``name=`` the kind and ``strict="filter"``.

Each dataset kind (``spend``, ``contracts``, ``agency_records``, ``gazetteer``,
``schools``, ``indicators``) has one :class:`pandera.pandas.DataFrameSchema`
whose column names are the curriculum's own. A council's files keep their own
column names; its ``mapping.yaml`` says which of its columns is which (see
:mod:`curriculum.mapping`).

A column's dtype also tells the loader how to read text from a file: datetime
columns are parsed as dates, float columns as amounts (currency signs, thousands
separators and brackets allowed), int columns as whole numbers and bool columns
from ``Yes``/``No``-style flags.
"""

from __future__ import annotations

import pandera.pandas as pa

__all__ = ["SCHEMAS", "DATASET_KINDS", "get_schema"]

SCHEMAS: dict[str, pa.DataFrameSchema] = {}
DATASET_KINDS = SCHEMAS.keys()  # a live view: kinds registered further down appear in it


def _register(schema: pa.DataFrameSchema) -> pa.DataFrameSchema:
    if schema.name in SCHEMAS:
        raise ValueError(f"dataset kind {schema.name!r} is registered twice")
    SCHEMAS[schema.name] = schema
    return schema


_TEXT = "str"
_DATE = "datetime64[ns]"


def _text(nullable: bool = False, **kw) -> pa.Column:
    checks = [] if nullable else [pa.Check.str_length(min_value=1, error="must not be blank")]
    return pa.Column(_TEXT, checks=checks, nullable=nullable, **kw)


def _date(nullable: bool = False, **kw) -> pa.Column:
    return pa.Column(_DATE, nullable=nullable, **kw)


_MONEY_LIMIT = 1e10  # no single council payment or contract reaches GBP 10bn

SPEND = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "payment_date": _date(),
        "transaction_id": _text(),
        "amount": pa.Column(float, pa.Check.in_range(-_MONEY_LIMIT, _MONEY_LIMIT), nullable=False),
        "supplier_name": _text(),
        "supplier_id": _text(nullable=True, required=False),
        "service": _text(),
        "category": _text(),
        "proclass": _text(nullable=True, required=False),
    },
    name="spend",
    description="Payments over GBP 500 (Local Government Transparency Code): one row per payment line; credits are negative.",
    strict="filter",
))

CONTRACTS = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "contract_reference": _text(nullable=True),
        "title": _text(),
        "supplier_name": _text(),
        "supplier_postcode": _text(nullable=True, required=False),
        "annual_value": pa.Column(float, pa.Check.in_range(0, _MONEY_LIMIT), nullable=True, required=False),
        "total_value": pa.Column(float, pa.Check.in_range(0, _MONEY_LIMIT), nullable=True),
        "start_date": _date(nullable=True),
        "end_date": _date(nullable=True),
        "expiry_date": _date(nullable=True, required=False),
        "extension_months": pa.Column(float, pa.Check.ge(0), nullable=True, required=False),
        "sme": pa.Column("boolean", nullable=True, required=False),
        "proclass": _text(nullable=True, required=False),
        "category": _text(nullable=True, required=False),
    },
    checks=[pa.Check(lambda df: (df["end_date"] >= df["start_date"]) | df["end_date"].isna() | df["start_date"].isna(),
                     error="end_date must not be before start_date")],
    name="contracts",
    description="Contracts register: one row per contract (or extension).",
    strict="filter",
))

AGENCY_RECORDS = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "agency": _text(),
        "record_id": _text(),
        "premises_name": _text(nullable=True),
        "address": _text(),
        "postcode": _text(nullable=True),
        "record_date": _date(),
        "issue": _text(nullable=True),
    },
    name="agency_records",
    description="Records of premises held by several agencies (licensing, trading standards, food safety, fire, police), one row per record.",
    strict="filter",
))

GAZETTEER = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "uprn": pa.Column("int64", pa.Check.gt(0), unique=True),
        "organisation": _text(nullable=True),
        "address": _text(),
        "postcode": _text(nullable=True),
        "lsoa_code": _text(nullable=True, required=False),
    },
    name="gazetteer",
    description="Local land and property gazetteer extract: one row per addressable premises (UPRN).",
    strict="filter",
))

SCHOOLS = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "school_id": _text(unique=True),
        "school_name": _text(),
        "phase": pa.Column(_TEXT, pa.Check.isin(["Primary", "Secondary"])),
        "pupils": pa.Column("int64", pa.Check.gt(0)),
        "fsm_percent": pa.Column(float, pa.Check.in_range(0, 100)),
        "pupils_surveyed": pa.Column("int64", pa.Check.ge(0)),
        "active_travel": pa.Column("int64", pa.Check.ge(0)),
    },
    checks=[
        pa.Check(lambda df: df["pupils_surveyed"] <= df["pupils"], error="pupils_surveyed must not exceed pupils"),
        pa.Check(lambda df: df["active_travel"] <= df["pupils_surveyed"], error="active_travel must not exceed pupils_surveyed"),
    ],
    name="schools",
    description="Schools with pupil numbers and a baseline travel-to-school survey: one row per school.",
    strict="filter",
))

INDICATORS = _register(pa.DataFrameSchema(
    {
        "area_code": _text(),
        "area_name": _text(),
        "year": pa.Column("int64", pa.Check.in_range(1990, 2100)),
        "indicator": _text(),
        "count": pa.Column("int64", pa.Check.ge(0)),
        "population": pa.Column("int64", pa.Check.gt(0), nullable=True, required=False),
    },
    unique=["area_code", "year", "indicator"],
    name="indicators",
    description="Counts of events by area and year (for example road casualties): one row per area, year and indicator.",
    strict="filter",
))



def get_schema(kind: str) -> pa.DataFrameSchema:
    """Return the schema of a dataset kind.

    Parameters
    ----------
    kind : str
        One of :data:`DATASET_KINDS`.

    Returns
    -------
    pandera.pandas.DataFrameSchema

    Raises
    ------
    MappingError
        If ``kind`` is not a known dataset kind.
    """
    from curriculum.errors import MappingError

    try:
        return SCHEMAS[kind]
    except KeyError:
        raise MappingError(f"dataset kind {kind!r} is unknown; the kinds are: {', '.join(DATASET_KINDS)}") from None

PILOT_RESULTS = _register(pa.DataFrameSchema(
    {
        "site_id": _text(unique=True),
        "site_name": _text(),
        "area_name": _text(),
        "area_code": _text(nullable=True, required=False),
        "months": pa.Column("int64", pa.Check.gt(0), nullable=True, required=False),
        "n_pilot": pa.Column("int64", pa.Check.gt(0)),
        "events_pilot": pa.Column("int64", pa.Check.ge(0)),
        "n_comparison": pa.Column("int64", pa.Check.gt(0)),
        "events_comparison": pa.Column("int64", pa.Check.ge(0)),
        "mean_pilot": pa.Column(float, nullable=True, required=False),
        "sd_pilot": pa.Column(float, pa.Check.ge(0), nullable=True, required=False),
        "mean_comparison": pa.Column(float, nullable=True, required=False),
        "sd_comparison": pa.Column(float, pa.Check.ge(0), nullable=True, required=False),
        "fidelity": pa.Column(float, pa.Check.in_range(0, 100)),
        "cost": pa.Column(float, pa.Check.in_range(0, _MONEY_LIMIT)),
    },
    checks=[
        pa.Check(lambda df: df["events_pilot"] <= df["n_pilot"], error="events_pilot must not exceed n_pilot"),
        pa.Check(lambda df: df["events_comparison"] <= df["n_comparison"], error="events_comparison must not exceed n_comparison"),
    ],
    name="pilot_results",
    description="Results of one intervention piloted at several sites: one row per site, with people and outcomes per arm, a fidelity score (0-100) and the pilot's total cost.",
    strict="filter",
))

THEORY_OF_CHANGE = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "element_id": pa.Column(_TEXT, [pa.Check.str_length(min_value=1, error="must not be blank"),
                                        pa.Check(lambda s: ~s.str.contains(r"[;,]"), error="an element ID must not contain ';' or ','")],
                                unique=True),
        "level": pa.Column(_TEXT, pa.Check.isin(["Activity", "Output", "Outcome", "Impact"])),
        "description": _text(),
        "leads_to": _text(nullable=True),
        "indicator": _text(nullable=True),
        "assumption": _text(nullable=True),
        "data_source": _text(nullable=True, required=False),
    },
    name="theory_of_change",
    description="A theory of change: one row per element (activity, output, outcome or impact) with the IDs it leads to (separated by ';'), its indicator and its assumption.",
    strict="filter",
))

SERVICE_EVENTS = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "case_id": _text(),
        "step": _text(),
        "timestamp": _date(),
        "channel": _text(nullable=True),
        "area": _text(nullable=True),
        "age_band": _text(nullable=True),
    },
    name="service_events",
    description="Event log of a service (for example Disabled Facilities Grants): one row per event, a case reaching a step (enquiry, assessment, application, approval, completion) at a date and time, with the case's referral channel, area (ward or LSOA) and age band.",
    strict="filter",
))

TRIAL_OUTCOMES = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "unit_id": _text(unique=True),
        "cluster_id": _text(),
        "stratum": _text(nullable=True),
        "year_group": _text(nullable=True, required=False),
        "arm": _text(),
        "treatment_received": pa.Column("boolean", nullable=True),
        "baseline_active_percent": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
        "pupils_surveyed": pa.Column(float, pa.Check.ge(0), nullable=True, required=False),
        "active_percent": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
        "attendance_percent": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
        "late_per_100": pa.Column(float, pa.Check.ge(0), nullable=True),
        "wellbeing_score": pa.Column(float, pa.Check.in_range(0, 10), nullable=True),
        "active_60_percent": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
    },
    checks=[pa.Check(lambda df: df.groupby("cluster_id")["arm"].transform("nunique") == 1,
                     error="every unit of a cluster must be in the same arm (clusters are what was randomised)")],
    name="trial_outcomes",
    description="Outcomes of a cluster-randomised School Streets trial: one row per class (unit) in a school (cluster), with its arm and stratum, whether the closure operated, the hands-up survey's active-travel share at baseline and follow-up (blank when lost to follow-up) and four secondary outcomes.",
    strict="filter",
))

AREA_PANEL = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "area_code": _text(),
        "area_name": _text(),
        "month": _date(),
        "treated": pa.Column("boolean", nullable=False),
        "rollout_month": _date(nullable=True),
        "mean_speed_mph": pa.Column(float, pa.Check.in_range(0, 80), nullable=True),
        "casualties": pa.Column("int64", pa.Check.ge(0), required=False),
    },
    checks=[pa.Check(lambda df: ~df["treated"].astype(bool) | df["rollout_month"].notna(),
                     error="an area that got the policy (treated) needs its roll-out month")],
    unique=["area_code", "month"],
    name="area_panel",
    description="Area-by-month monitoring panel for a policy rolled out to some areas without randomisation (for example 20 mph limits): one row per area and month with the treated flag, the roll-out month, mean traffic speed and injury road casualties.",
    strict="filter",
))

STAKEHOLDERS = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "stakeholder": _text(unique=True),
        "organisation": _text(nullable=True),
        "role": _text(nullable=True),
        "sector": _text(nullable=True),
        "power": pa.Column("int64", pa.Check.in_range(1, 5)),
        "interest": pa.Column("int64", pa.Check.in_range(1, 5)),
        "stance": pa.Column(_TEXT, pa.Check.isin(["Champion", "Supportive", "Neutral", "Sceptical", "Opposed"]), nullable=True),
    },
    name="stakeholders",
    description="Stakeholder register of a change: one row per stakeholder (named once), with organisation, role, power and interest scored 1-5 and current stance (Champion, Supportive, Neutral, Sceptical or Opposed; blank when not known).",
    strict="filter",
))

_LIKERT = dict(checks=pa.Check.in_range(1, 5), nullable=True)
RESIDENT_SURVEY = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "respondent_id": _text(unique=True),
        "age_band": _text(nullable=True),
        "area": _text(nullable=True),
        "channel": _text(nullable=True),
        "contacts_last_year": pa.Column(float, pa.Check.ge(0), nullable=True),
        "easy_to_contact": pa.Column(float, **_LIKERT),
        "prefer_online": pa.Column(float, **_LIKERT),
        "prefer_in_person": pa.Column(float, **_LIKERT),
        "repeat_story": pa.Column(float, **_LIKERT),
        "listened_to": pa.Column(float, **_LIKERT),
        "out_of_hours": pa.Column(float, **_LIKERT),
        "know_local_help": pa.Column(float, **_LIKERT),
        "digital_access": _text(nullable=True),
        "carer": pa.Column("boolean", nullable=True),
    },
    name="resident_survey",
    description="Survey of the people who use a service: one row per respondent with age band, area, usual channel, contacts in the last year, seven statements rated 1 (strongly disagree) to 5 (strongly agree; blank for don't know or skipped), internet access at home and whether they are an unpaid carer.",
    strict="filter",
))

CONNECTIONS = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "source": _text(),
        "target": _text(),
        "kind": _text(nullable=True),
    },
    checks=[pa.Check(lambda df: df["source"] != df["target"], error="a connection must join two different stakeholders")],
    name="connections",
    description="Who works with or knows whom among the stakeholders of a change: one row per connection, from (source) and to (target) named as in the stakeholder register, with the kind of relationship.",
    strict="filter",
))

WIMD = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "lsoa_code": pa.Column(_TEXT, pa.Check.str_matches(r"^[WE]01\d{6}$", error="must be an LSOA code such as W01001234"), unique=True),
        "lsoa_name": _text(nullable=True, required=False),
        "local_authority": _text(nullable=True, required=False),
        "wimd_rank": pa.Column("int64", pa.Check.ge(1), unique=True),
        "income_rank": pa.Column("int64", pa.Check.ge(1), required=False),
        "employment_rank": pa.Column("int64", pa.Check.ge(1), required=False),
        "health_rank": pa.Column("int64", pa.Check.ge(1), required=False),
        "education_rank": pa.Column("int64", pa.Check.ge(1), required=False),
        "access_rank": pa.Column("int64", pa.Check.ge(1), required=False),
        "housing_rank": pa.Column("int64", pa.Check.ge(1), required=False),
        "community_safety_rank": pa.Column("int64", pa.Check.ge(1), required=False),
        "physical_environment_rank": pa.Column("int64", pa.Check.ge(1), required=False),
        "population": pa.Column("int64", pa.Check.gt(0)),
        "population_65_plus": pa.Column("int64", pa.Check.ge(0), nullable=True, required=False),
    },
    checks=[pa.Check(lambda df: ~(df["population_65_plus"] > df["population"]).fillna(False) if "population_65_plus" in df else True,
                     error="population_65_plus must not exceed population")],
    name="wimd",
    description="Welsh Index of Multiple Deprivation 2019 ranks of a council's small areas (LSOAs; 1 = most deprived of Wales's 1,909), overall and by domain, with mid-year population estimates: one row per LSOA.",
    strict="filter",
))

SERVICE_DEMAND = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "record_id": _text(unique=True),
        "person_id": _text(nullable=True, required=False),
        "record_date": _date(),
        "lsoa_code": _text(nullable=True),
        "age_band": _text(nullable=True, required=False),
        "lives_alone": pa.Column("boolean", nullable=True, required=False),
        "source": _text(nullable=True, required=False),
        "reason": _text(nullable=True, required=False),
    },
    name="service_demand",
    description="Service records that carry the small area (LSOA) of the person's home, such as referrals or contacts: one row per record with its date and a few attributes; the LSOA may be blank or outside the council.",
    strict="filter",
))

CANDIDATE_SOLUTIONS = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "solution_id": _text(unique=True),
        "solution": _text(unique=True),
        "precedent": _text(nullable=True, required=False),
        "evidence_level": pa.Column("int64", pa.Check.in_range(1, 5)),
        "evidence_source": _text(nullable=True, required=False),
        "cost_per_participant": pa.Column(float, [pa.Check.gt(0), pa.Check.le(_MONEY_LIMIT)]),
        "fit_score": pa.Column(float, pa.Check.in_range(0, 10)),
        "implementation_risk": pa.Column(float, pa.Check.in_range(1, 5)),
        "constraints": _text(nullable=True),
        "meets_constraints": pa.Column("boolean", nullable=True),
    },
    name="candidate_solutions",
    description="A shortlist of solutions proven elsewhere, scored for evaluation: one row per option with its Nesta evidence level (1-5), cost per participant, local fit (0-10), implementation risk (1-5), what cannot be changed, and whether it meets the must-haves (blank: not yet assessed).",
    strict="filter",
))

CRITERIA_WEIGHTS = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "criterion": pa.Column(_TEXT, pa.Check.isin(["evidence_level", "cost_per_participant", "fit_score", "implementation_risk"]),
                               unique=True),
        "label": _text(nullable=True),
        "weight": pa.Column(float, pa.Check.ge(0)),
        "direction": pa.Column(_TEXT, pa.Check.isin(["benefit", "cost"])),
        "rationale": _text(nullable=True, required=False),
    },
    checks=[pa.Check(lambda df: df["weight"].sum() > 0, element_wise=False, error="the weights must not all be zero")],
    name="criteria_weights",
    description="The weights a steering group agreed for the criteria of candidate_solutions: one row per criterion (a column of candidate_solutions), its weight (any non-negative numbers, used as shares of their total) and direction (benefit: higher is better; cost: lower is better).",
    strict="filter",
))

TENDER_BIDS = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "tender_reference": _text(),
        "tender_title": _text(),
        "lot": _text(nullable=True, required=False),
        "procedure": _text(nullable=True, required=False),
        "bidder": _text(),
        "sme": pa.Column("boolean", nullable=True, required=False),
        "price": pa.Column(float, [pa.Check.gt(0), pa.Check.le(_MONEY_LIMIT)]),
        "estimate": pa.Column(float, [pa.Check.gt(0), pa.Check.le(_MONEY_LIMIT)], nullable=True),
        "price_weight": pa.Column(float, pa.Check.in_range(0, 100)),
        "criterion": _text(),
        "criterion_weight": pa.Column(float, pa.Check.in_range(0, 100)),
        "score": pa.Column(float, pa.Check.ge(0)),
        "max_score": pa.Column(float, pa.Check.gt(0)),
    },
    checks=[
        pa.Check(lambda df: df["score"] <= df["max_score"], error="score must not exceed max_score"),
        pa.Check(lambda df: df.groupby(["tender_reference", "bidder"])["price"].transform("nunique") == 1,
                 error="each bid (tender_reference and bidder) must have one price on all its rows"),
        pa.Check(lambda df: (df.groupby(["tender_reference", "bidder"])["criterion_weight"].transform("sum")
                             + df["price_weight"] - 100).abs() < 0.01,
                 error="the price weight and a bid's criterion weights must add up to 100"),
    ],
    unique=["tender_reference", "bidder", "criterion"],
    name="tender_bids",
    description="Bids received in competitive tenders (one lot each), as evaluated: one row per bid and quality criterion with the tender's reference and title, the bidder and its SME flag, the evaluated price (whole-life, GBP), the pre-tender estimate, the price weight (%), the criterion, its weight (%) and the bid's score out of the maximum (0-5 or 0-100). Commercially confidential.",
    strict="filter",
))

SUPPLIER_LOCATIONS = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "supplier_name": _text(),
        "postcode": _text(nullable=True),
        "sme": pa.Column("boolean", nullable=True),
        "vcse": pa.Column("boolean", nullable=True, required=False),
        "company_number": _text(nullable=True, required=False),
    },
    name="supplier_locations",
    description="Where a council's suppliers are based (from its vendor master file): one row per supplier with its name as paid in the spend file, postcode (blank where not held), and whether it is an SME and a voluntary, community or social enterprise (VCSE; blank where not known).",
    strict="filter",
))

SUPPLIER_REGISTER = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "company_name": _text(),
        "company_number": _text(unique=True),
        "postcode": _text(nullable=True, required=False),
        "company_category": _text(nullable=True, required=False),
        "company_status": _text(nullable=True, required=False),
        "sic_text": _text(nullable=True, required=False),
    },
    name="supplier_register",
    description="A register of companies to resolve supplier names to (for example an extract of Companies House basic company data, or a vendor master file with company numbers): one row per company with its registered name, company number, registered-office postcode, category, status and main SIC code.",
    strict="filter",
))

SUPPLIER_MATCH_LABELS = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "supplier_name": _text(),
        "company_name": _text(),
        "company_number": _text(nullable=True, required=False),
        "is_match": pa.Column("boolean", nullable=False),
        "reviewed_on": _date(nullable=True, required=False),
    },
    name="supplier_match_labels",
    description="A reviewer's decisions on candidate matches: one row per pair of a supplier name as paid (spend file) and a register company name, with the company number and whether the two are the same supplier (Yes/No).",
    strict="filter",
))

DELIBERATE_FIRES = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "lsoa_code": pa.Column(_TEXT, pa.Check.str_matches(r"^[WE]01\d{6}$", error="must be an LSOA code such as W01001234")),
        "month": _date(),
        "category": _text(),
        "count": pa.Column("int64", pa.Check.ge(0)),
    },
    name="deliberate_fires",
    description="Deliberate fires attended by the fire and rescue service by small area: one row per LSOA, month and incident category (for example Primary; Secondary: grassland, refuse, vehicle) with the number of incidents; months without fires may be left out. An extract with one row per incident maps its date to month and sets count to 1 (constants).",
    strict="filter",
))

TENANCY_RISK = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "tenancy_id": _text(),
        "period": _text(),
        "area": _text(nullable=True),
        "age_band": _text(nullable=True),
        "previously_homeless": pa.Column("boolean", nullable=True),
        "universal_credit": pa.Column("boolean", nullable=True),
        "arrears_weeks": pa.Column(float, pa.Check.in_range(0, 520), nullable=True),
        "missed_contacts": pa.Column(float, pa.Check.ge(0), nullable=True),
        "failed": pa.Column("boolean", nullable=False),
    },
    unique=["tenancy_id", "period"],
    name="tenancy_risk",
    description="New social tenancies (occupation contracts) and whether each failed: one row per tenancy and period let (for example 2022-23), with its housing area, the lead contract-holder's age band, what was known 13 weeks after the start (rent arrears in weeks of rent, home visits and calls missed, Universal Credit, whether the household came through the homelessness route; blank where not recorded) and whether the tenancy failed (ended by eviction, abandonment or notice while in arrears) within 12 months.",
    strict="filter",
))

DISREPAIR_CASES = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "reference": _text(unique=True),
        "date_received": _date(),
        "ward": _text(nullable=True, required=False),
        "lsoa_code": _text(nullable=True, required=False),
        "tenure": _text(nullable=True),
        "property_age": _text(nullable=True),
        "category": _text(),
        "children_under_5": pa.Column("boolean", nullable=True),
        "over_75": pa.Column("boolean", nullable=True),
        "health_condition": pa.Column("boolean", nullable=True),
        "occupants": pa.Column(float, pa.Check.ge(1), nullable=True, required=False),
        "outcome": pa.Column(_TEXT, pa.Check.isin(["Category 1 hazard", "Category 2 hazard", "No hazard"]), nullable=True),
        "date_closed": _date(nullable=True),
    },
    checks=[pa.Check(lambda df: df["date_closed"].isna() | (df["date_closed"] >= df["date_received"]),
                     error="date_closed must not be before date_received")],
    name="disrepair_cases",
    description="Housing disrepair complaints register (private-sector housing or a council landlord): one row per case with its reference, date received, ward and LSOA, tenure, property age band, hazard category (damp and mould, excess cold, electrical...), household flags (a child under 5, someone aged 75 or over, someone with a health condition; blank where not recorded), occupants and, for closed cases, the HHSRS inspection outcome (Category 1 hazard, Category 2 hazard or No hazard) and the date closed (both blank while the case is open).",
    strict="filter",
))

FLY_TIPPING_REPORTS = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "reference": _text(),
        "date_reported": _date(),
        "date_cleared": _date(nullable=True),
        "ward": _text(nullable=True),
        "location": _text(nullable=True),
        "postcode": _text(nullable=True),
        "land_type": _text(nullable=True),
        "waste_type": _text(nullable=True),
        "size": _text(nullable=True),
        "clearance_cost": pa.Column(float, pa.Check.in_range(0, _MONEY_LIMIT), nullable=True, required=False),
        "reported_by": _text(nullable=True, required=False),
    },
    name="fly_tipping_reports",
    description="A council's fly-tipping reports as exported from its case system (the fields returned to WasteDataFlow for Fly-tipping Action Wales): one row per report with its reference, dates reported and cleared (blank while open or when passed to the landowner), ward, location, postcode, WasteDataFlow land type, waste type and size, clearance cost (GBP) and who reported it. Loaded as exported, quality problems included: text columns may hold placeholders such as NO DATA!, rows may repeat, dates and postcodes may be impossible.",
    strict="filter",
))

_EPC_BANDS = list("ABCDEFG")

POSTCODE_LOOKUP = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "postcode": _text(unique=True),
        "introduced": _date(nullable=True, required=False),
        "terminated": _date(nullable=True),
        "council_code": _text(),
        "lsoa_code": _text(nullable=True),
        "oa_code": _text(nullable=True, required=False),
        "latitude": pa.Column(float, nullable=True, required=False),
        "longitude": pa.Column(float, nullable=True, required=False),
    },
    name="postcode_lookup",
    description="Postcode directory (ONS Postcode Directory style), usually cut to the council's postcode districts: one row per postcode, live or terminated (terminated: the month it went out of use, blank while live), with the council (ONS code) and small area (LSOA, output area) it lies in and, where known, its coordinates.",
    strict="filter",
))

HOUSING_REPAIRS = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "record_id": _text(unique=True),
        "record_date": _date(),
        "uprn": pa.Column("int64", pa.Check.gt(0), nullable=True),
        "address": _text(nullable=True, required=False),
        "postcode": _text(nullable=True),
        "tenure": _text(nullable=True, required=False),
        "category": _text(),
    },
    name="housing_repairs",
    description="Reports of disrepair, damp and mould or other hazards in people's homes (a private-sector housing team's service requests, or a landlord's repair requests): one row per report with its date, the home's UPRN and postcode as recorded (either may be blank or mistyped), its address, tenure and category.",
    strict="filter",
))

DEMAND_WEEKLY = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "week_start": _date(),
        "channel": _text(),
        "count": pa.Column("int64", pa.Check.ge(0)),
    },
    unique=["week_start", "channel"],
    name="demand_weekly",
    description="Demand on a service by week (for example contacts received by a council contact centre, or 101 calls): one row per week and channel (Telephone, Online form, Email...) with the date the week starts and the count received that week.",
    strict="filter",
))

DEMAND_HOUR_OF_WEEK = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "day_of_week": pa.Column(_TEXT, pa.Check.isin(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])),
        "hour": pa.Column("int64", pa.Check.in_range(0, 23)),
        "count": pa.Column("int64", pa.Check.ge(0)),
        "handle_seconds": pa.Column(float, pa.Check.gt(0), nullable=True, required=False),
    },
    unique=["day_of_week", "hour"],
    name="demand_hour_of_week",
    description="Calls (or other contacts) by hour of the week over a recent period, from a telephony system's interval report: one row per day of the week (Monday to Sunday) and hour (0-23, the hour starting) with the calls offered, added up over the period, and their average handle time in seconds (talk, hold and wrap-up; blank where no calls).",
    strict="filter",
))

EPC_CERTIFICATES = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "lmk_key": _text(unique=True),
        "address": _text(nullable=True),
        "postcode": _text(nullable=True),
        "uprn": pa.Column("int64", pa.Check.gt(0), nullable=True),
        "current_rating": pa.Column(_TEXT, pa.Check.isin(_EPC_BANDS)),
        "potential_rating": pa.Column(_TEXT, pa.Check.isin(_EPC_BANDS), nullable=True, required=False),
        "property_type": _text(nullable=True),
        "built_form": _text(nullable=True),
        "age_band": _text(nullable=True),
        "mains_gas": pa.Column("boolean", nullable=True),
        "floor_area": pa.Column(float, pa.Check.gt(0), nullable=True),
        "main_fuel": _text(nullable=True),
        "tenure": _text(nullable=True),
        "lodgement_date": _date(),
        "local_authority": _text(nullable=True, required=False),
    },
    name="epc_certificates",
    description="Domestic Energy Performance Certificates (the EPC register, Energy Performance of Buildings Data for England and Wales): one row per certificate (LMK_KEY), several per home over the years, with the home's UPRN (blank where the register has none), current and potential energy rating (A-G), property type, built form, construction age band, mains gas flag, total floor area (m2), main fuel, tenure and lodgement date.",
    strict="filter",
))

DWELLING_FIRES = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "incident_number": _text(unique=True),
        "incident_date": _date(),
        "uprn": pa.Column("int64", pa.Check.gt(0), nullable=True),
        "lsoa_code": _text(nullable=True),
        "property_type": _text(nullable=True),
        "cause": _text(nullable=True),
    },
    name="dwelling_fires",
    description="Dwelling fires attended by the fire and rescue service, from its incident recording system (IRS): one row per incident with its number, date of call, the UPRN of the home (blank where not recorded), the LSOA, the IRS property type and the cause of fire.",
    strict="filter",
))

AREA_OUTCOMES = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "area_code": _text(),
        "area_name": _text(nullable=True, required=False),
        "ward": _text(nullable=True, required=False),
        "month": _date(),
        "treated": pa.Column("boolean", nullable=False),
        "start_month": _date(nullable=True),
        "count": pa.Column("int64", pa.Check.ge(0)),
        "population": pa.Column("int64", pa.Check.gt(0)),
        "deprivation_rank": pa.Column("int64", pa.Check.ge(1)),
    },
    checks=[
        pa.Check(lambda df: ~df["treated"].astype(bool) | df["start_month"].notna(),
                 error="an area in the intervention (treated) needs the month it started there"),
        pa.Check(lambda df: df.groupby("area_code")["treated"].transform("nunique") == 1,
                 error="an area is in the intervention or not: treated must be the same in every month of an area"),
    ],
    unique=["area_code", "month"],
    name="area_outcomes",
    description="Monthly outcome counts for small areas (LSOAs or wards), some of which got an intervention chosen without randomisation (for example a fly-tipping campaign): one row per area and month with the treated flag, the month the intervention started in the area (blank for the others), the count of events (incidents), the residents and a deprivation rank (WIMD 2019 overall rank, 1 = most deprived; an English council can use its IMD rank).",
    strict="filter",
))

SOCIAL_VALUE_MEASURES = _register(pa.DataFrameSchema(
    {
        "measure_id": _text(unique=True),
        "theme": _text(),
        "well_being_goal": _text(nullable=True, required=False),
        "description": _text(),
        "unit": _text(),
        "proxy_value": pa.Column(float, pa.Check.in_range(0, 1e7)),
    },
    name="social_value_measures",
    description="A social value measures list in the style of the National TOMs Wales (Themes, Outcomes and Measures): one row per measure with its reference (for example NT1), theme (Jobs, Growth, Social, Environment, Innovation), the well-being goal it serves, what is counted, the unit and the proxy value in GBP per unit.",
    strict="filter",
))

SOCIAL_VALUE_COMMITMENTS = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "contract_ref": _text(),
        "supplier_name": _text(),
        "measure_id": _text(),
        "reporting_year": _text(),
        "committed": pa.Column(float, pa.Check.in_range(0, _MONEY_LIMIT)),
        "delivered": pa.Column(float, pa.Check.in_range(0, _MONEY_LIMIT), nullable=True),
    },
    unique=["contract_ref", "supplier_name", "measure_id", "reporting_year"],
    name="social_value_commitments",
    description="Social value commitments made in tenders and delivery reported in contract management: one row per contract, supplier, measure and reporting year with the quantity committed and the quantity delivered (blank when no return was received), in the measure's unit.",
    strict="filter",
))

_MARK_0_10 = dict(checks=pa.Check.in_range(0, 10), nullable=False)
_RISK_1_5 = dict(checks=pa.Check.in_range(1, 5), nullable=False)

ODA_COST_ASSUMPTIONS = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "item": _text(unique=True),
        "category": pa.Column(_TEXT, pa.Check.isin(["staff", "platform", "governance", "training"])),
        "one_off": pa.Column("boolean", nullable=False),
        "quantity": pa.Column(float, pa.Check.in_range(0, 1e6)),
        "unit": _text(nullable=True, required=False),
        "unit_cost": pa.Column(float, pa.Check.in_range(0, _MONEY_LIMIT)),
        "low": pa.Column(float, pa.Check.in_range(0, _MONEY_LIMIT)),
        "high": pa.Column(float, pa.Check.in_range(0, _MONEY_LIMIT)),
        "basis": _text(nullable=True, required=False),
    },
    checks=[pa.Check(lambda df: (df["low"] <= df["unit_cost"]) & (df["unit_cost"] <= df["high"]),
                     error="each row needs low <= unit_cost <= high (the low and high unit costs bracket the most likely one)")],
    name="oda_cost_assumptions",
    description="Cost assumptions of a shared service's business case (for example a regional Office of Data Analytics): one row per item with its category (staff, platform, governance or training), whether it is paid once (one-off, in year 1) or every year, the quantity (posts, licences, agreements a year), its unit, the most likely unit cost (GBP, today's prices) with a low and a high unit cost, and the basis of the estimate. Employer on-costs are a staff row whose unit is 'share of pay' and whose unit cost is the rate (0.30 for 30% of recurring staff pay). Region-wide planning inputs: every partner holds the same table.",
    strict="filter",
))

ODA_BENEFIT_ASSUMPTIONS = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "benefit": _text(unique=True),
        "module": _text(nullable=True, required=False),
        "quantity": pa.Column(float, pa.Check.in_range(0, 1e9)),
        "unit": _text(nullable=True, required=False),
        "unit_value": pa.Column(float, pa.Check.in_range(0, _MONEY_LIMIT)),
        "low": pa.Column(float, pa.Check.in_range(0, 1e9)),
        "high": pa.Column(float, pa.Check.in_range(0, 1e9)),
        "source": _text(nullable=True, required=False),
    },
    checks=[pa.Check(lambda df: (df["low"] <= df["quantity"]) & (df["quantity"] <= df["high"]),
                     error="each row needs low <= quantity <= high (the low and high quantities bracket the most likely one)")],
    name="oda_benefit_assumptions",
    description="Benefit assumptions of a shared service's value case: one row per benefit with the project (module) it comes from, the most likely quantity a year once fully realised (fires prevented, officer hours saved) with a low and a high quantity, its unit, the value of one unit (GBP, from a published unit cost such as the GMCA Unit Cost Database) and the source of both. Region-wide planning inputs.",
    strict="filter",
))

ODA_EXPECTED_USE = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "authority": _text(unique=True),
        "projects_per_year": pa.Column(float, pa.Check.in_range(0, 1e6)),
        "basis": _text(nullable=True, required=False),
    },
    checks=[pa.Check(lambda df: df["projects_per_year"].sum() > 0, element_wise=False,
                     error="at least one member must expect to use the service")],
    name="oda_expected_use",
    description="Expected use of a shared service by each member authority, the basis for sharing its cost by use: one row per authority with the analytics projects it expects to bring a year and where the estimate comes from. The regional planning figures, with the council's own row as its own officers estimate it.",
    strict="filter",
))

INNOVATION_PROPOSALS = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "proposal_id": _text(unique=True),
        "supplier_name": _text(),
        "sme": pa.Column("boolean", nullable=True),
        "welsh_supplier": pa.Column("boolean", nullable=True),
        "challenge": _text(),
        "phase1_budget": pa.Column(float, pa.Check.in_range(0, _MONEY_LIMIT), nullable=False),
        "phase1_cost": pa.Column(float, pa.Check.in_range(0, _MONEY_LIMIT, include_min=False), nullable=False),
        "phase2_cost": pa.Column(float, pa.Check.in_range(0, _MONEY_LIMIT), nullable=False),
        "innovation": pa.Column(float, **_MARK_0_10),
        "impact": pa.Column(float, **_MARK_0_10),
        "fit": pa.Column(float, **_MARK_0_10),
        "technical_risk": pa.Column(float, **_RISK_1_5),
        "delivery_risk": pa.Column(float, **_RISK_1_5),
        "supplier_risk": pa.Column(float, **_RISK_1_5),
        "probability_of_success": pa.Column(float, pa.Check.in_range(0, 1), nullable=False),
        "value_if_success": pa.Column(float, pa.Check.in_range(0, _MONEY_LIMIT), nullable=False),
        "outcome_measure": _text(nullable=True, required=False),
        "target_outcomes": pa.Column(float, pa.Check.gt(0), nullable=True, required=False),
    },
    checks=[pa.Check(lambda df: df.groupby("challenge")["phase1_budget"].transform("nunique") == 1,
                     error="a challenge has one phase-1 budget: phase1_budget must be the same on every row of a challenge")],
    name="innovation_proposals",
    description="Proposals received in challenge-led (SBRI-style) innovation competitions, as assessed: one row per proposal with its lead organisation, SME and Welsh-supplier flags (blank where not known), the challenge and its phase-1 budget, the phase-1 (feasibility) and phase-2 (demonstration) costs asked for (GBP), the panel's marks for innovation, impact and fit (0-10) and for technical, delivery and supplier risk (1-5), the assessors' probability that the idea works (0-1), the benefit if it does (GBP over five years) and, where given, the demonstration's outcome measure and target. Commercially confidential.",
    strict="filter",
))

INTERVENTION_SITES = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "programme": _text(),
        "site_id": _text(),
        "site_name": _text(nullable=True, required=False),
        "area": _text(nullable=True, required=False),
        "group": pa.Column(_TEXT, pa.Check.isin(["intervention", "comparison", "other"], error="group must be 'intervention', 'comparison' or 'other' (recode your labels in mapping.yaml under values:)")),
        "years_before": pa.Column(float, pa.Check.gt(0)),
        "events_before": pa.Column("int64", pa.Check.ge(0)),
        "years_after": pa.Column(float, pa.Check.gt(0)),
        "events_after": pa.Column("int64", pa.Check.ge(0)),
        "exposure": pa.Column(float, pa.Check.ge(0), nullable=True, required=False),
        "deprivation_rank": pa.Column(float, pa.Check.ge(1), nullable=True, required=False),
    },
    unique=["programme", "site_id"],
    name="intervention_sites",
    description="Sites (junctions, road lengths, small areas) of a programme that was put in some places and not others, for a before-and-after evaluation: one row per programme and site with its group (intervention: got it; comparison: did not, but was chosen beforehand as like the intervention sites; other: every other site), the events counted (collisions, deliberate fires) in the period before and the period after and the length of each in years, its exposure (traffic in vehicles a day, or residents) and the WIMD rank of its area (1 = most deprived).",
    strict="filter",
))

RISK_TOOL_RESULTS = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "group": _text(),
        "flagged": pa.Column("boolean", nullable=False),
        "outcome": pa.Column("boolean", nullable=False),
        "count": pa.Column("int64", pa.Check.ge(0)),
    },
    unique=["group", "flagged", "outcome"],
    name="risk_tool_results",
    description="A risk tool's validation results as a supplier reports them: one row per group (age band, area), flag (whether the tool flagged the person: Yes/No) and outcome (whether the outcome it predicts then happened: Yes/No) with the number of people; the four rows of a group are its confusion matrix (missing rows count as 0).",
    strict="filter",
))

_FLAG = dict(nullable=False)

PERFORMANCE_KPIS = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "month": _date(),
        "indicator": _text(),
        "value": pa.Column(float, nullable=True),
        "target": pa.Column(float, nullable=True, required=False),
        "unit": _text(nullable=True, required=False),
        "better": pa.Column(_TEXT, pa.Check.isin(["higher", "lower"], error="better must be 'higher' or 'lower' (recode the polarity in mapping.yaml under values:)"), nullable=True),
    },
    unique=["indicator", "month"],
    name="performance_kpis",
    description="A corporate performance dashboard export: one row per measure and month with the month's actual (blank when not yet reported), its target (blank when none is set), the unit and the polarity (better: higher or lower).",
    strict="filter",
))

EVALUATION_SUMMARIES = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "evaluation_id": _text(unique=True),
        "solution_id": _text(),
        "study": _text(),
        "design": _text(),
        "outcome": _text(nullable=True),
        "sample_size": pa.Column("int64", pa.Check.gt(0), nullable=True),
        "effect": pa.Column(float, pa.Check.in_range(-100, 100), nullable=True),
        "ci_low": pa.Column(float, pa.Check.in_range(-100, 100), nullable=True),
        "ci_high": pa.Column(float, pa.Check.in_range(-100, 100), nullable=True),
        "independent": pa.Column("boolean", nullable=True),
        "evaluator": _text(nullable=True, required=False),
        "setting": _text(nullable=True),
        "year": pa.Column("int64", pa.Check.in_range(1950, 2100), nullable=True, required=False),
    },
    checks=[pa.Check(lambda df: ~(df["ci_low"] > df["effect"]).fillna(False) & ~(df["effect"] > df["ci_high"]).fillna(False),
                     error="each effect must lie within its range: ci_low <= effect <= ci_high")],
    name="evaluation_summaries",
    description="Summaries of the evaluations behind a shortlist of options (candidate_solutions), as a team extracts them from the reports: one row per study with the option it evaluated (solution_id), its title, design (logic model, before and after, comparison group, randomised trial...), outcome, participants, effect in percentage points (positive = better) with its 95% range (blank for a logic model), whether the evaluator was independent of the provider and commissioner, who evaluated it, the setting (where and who) and the year.",
    strict="filter",
))

SURVEY_RESULTS = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "area_code": _text(nullable=True, required=False),
        "area_name": _text(),
        "year": pa.Column("int64", pa.Check.in_range(1990, 2100)),
        "question": _text(),
        "respondents": pa.Column("int64", pa.Check.gt(0)),
        "percent_agree": pa.Column(float, pa.Check.in_range(0, 100)),
    },
    unique=["area_name", "year", "question"],
    name="survey_results",
    description="Published results of a survey by area (National Survey for Wales style): one row per area (council), survey year and question, with the number of respondents and the percentage agreeing.",
    strict="filter",
))

ANALYTICS_PROPOSALS = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "proposal_id": _text(unique=True),
        "proposal": _text(),
        "purpose": _text(),
        "data_sources": _text(),
        "partners": _text(nullable=True, required=False),
        "personal_data": pa.Column("boolean", **_FLAG),
        "special_category": pa.Column("boolean", **_FLAG),
        "children": pa.Column("boolean", **_FLAG),
        "automated_decision": pa.Column("boolean", **_FLAG),
        "new_technology": pa.Column("boolean", **_FLAG),
        "large_scale": pa.Column("boolean", **_FLAG),
        "profiling": pa.Column("boolean", nullable=True, required=False),
        "data_matching": pa.Column("boolean", nullable=True, required=False),
        "algorithmic_tool": pa.Column("boolean", nullable=True, required=False),
        "lawful_basis": _text(nullable=True),
        "article9_condition": _text(nullable=True, required=False),
        "sharing_agreement": _text(nullable=True, required=False),
        "dpia_done": pa.Column("boolean", **_FLAG),
        "atrs_published": pa.Column("boolean", **_FLAG),
        "sponsor": _text(nullable=True, required=False),
    },
    checks=[pa.Check(lambda df: ~(df["special_category"].astype(bool) & ~df["personal_data"].astype(bool)),
                     error="special category data are always personal data: a row with special_category Yes needs personal_data Yes")],
    name="analytics_proposals",
    description="A register of proposals to use or share data for analysis (an information governance or DPIA screening log): one row per proposal with its purpose, data sources (separated by ';'), the partner organisations it shares personal data with, flags (Yes/No) for personal data, special category data, data about children, automated decisions, new technology, large scale, and where recorded profiling, data matching and an algorithmic tool that informs decisions or deals with the public; the UK GDPR Article 6 lawful basis (blank when none is recorded), the Article 9 condition, the WASPI agreement (ISP, DDA or JCA), whether a DPIA is done and whether an ATRS record is published.",
    strict="filter",
))

THEME_SCORES = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "theme": _text(),
        "criterion": _text(),
        "scorer": _text(),
        "score": pa.Column(float, pa.Check.in_range(1, 5, error="scores run from 1 (weak) to 5 (strong)"), nullable=True),
    },
    unique=["theme", "criterion", "scorer"],
    name="theme_scores",
    description="A steering group's scores of the programme's candidate themes: one row per theme, criterion and scorer (a steering-group member), with the score from 1 (weak) to 5 (strong), blank where the member abstained (a declared interest). The criteria are the programme's seed criteria (data, procurement spend, ideas proven elsewhere, attitudes and skills) and the five ways of working of the Well-being of Future Generations (Wales) Act 2015, or a council's own.",
    strict="filter",
))

THEME_QUESTIONS = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "theme": _text(),
        "kind": pa.Column(_TEXT, pa.Check.isin(["measure of success", "big question"], error="kind must be 'measure of success' or 'big question' (recode your labels in mapping.yaml under values:)")),
        "text": _text(),
        "votes": pa.Column(float, pa.Check.ge(0), nullable=True, required=False),
    },
    name="theme_questions",
    description="What a steering group recorded for each candidate theme: one row per measure of success or big question, with its text and the dot votes it got at the workshop (blank where there was no vote).",
    strict="filter",
))
