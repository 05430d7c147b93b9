"""The real council files load through their shipped mappings, checked against an independent plain-pandas read."""

from __future__ import annotations

import pandas as pd
import pytest

from curriculum import load

REAL = "datasets/real"


def _amount(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.astype(str).str.strip(), errors="raise")


def test_calderdale(root):
    """Calderdale's August 2022 file: every line, net total to the penny."""
    plain = pd.read_csv(root / REAL / "calderdale/calderdale-2022-08.csv", dtype=str)
    df = load("spend", data_dir=root / REAL / "calderdale")
    assert len(df) == len(plain), "one row per payment line"
    assert df["amount"].sum() == pytest.approx(_amount(plain["Net Amount"]).sum(), abs=0.005)
    assert (df["amount"] < 0).sum() == (_amount(plain["Net Amount"]) < 0).sum(), "credits kept as negatives"
    assert set(df["council"]) == {"Calderdale"}


def test_manchester(root):
    """Manchester's May 2022 file with its re-encoded byte-order mark and redacted suppliers."""
    plain = pd.read_csv(root / REAL / "manchester/manchester-2022-05.csv", dtype=str, encoding="utf-8")
    assert plain.columns[0] == "ï»¿Body Name", "the file really carries the re-encoded BOM"
    df = load("spend", data_dir=root / REAL / "manchester")
    assert len(df) == len(plain)
    assert df["amount"].sum() == pytest.approx(_amount(plain["Net Amount"]).sum(), abs=0.005)
    redacted = plain["Supplier Name"].str.contains("Redacted", case=False).sum()
    assert redacted > 0 and df["supplier_name"].str.contains("Redacted", case=False).sum() == redacted


def test_leeds(root):
    """Leeds's December 2010 file: dd/mm/yyyy dates, amounts with trailing spaces, a truncated last record."""
    plain = pd.read_csv(root / REAL / "leeds/leeds-2010-12.csv", dtype=str)
    complete = plain.dropna(subset=["Net amount", "Supplier name"])
    assert len(plain) - len(complete) >= 1, "the published file really has an incomplete record"
    df = load("spend", data_dir=root / REAL / "leeds")
    assert len(df) == len(complete)
    assert df["amount"].sum() == pytest.approx(_amount(complete["Net amount"]).sum(), abs=0.005)
    first = pd.to_datetime(complete["Date paid"], format="%d/%m/%Y")
    assert df["payment_date"].min() == first.min() and df["payment_date"].max() == first.max()


def test_salford_contracts(root):
    """Salford's contracts register: all contracts but the two the mapping excludes, values summed alike."""
    plain = pd.read_csv(root / REAL / "salford/salford-contracts-register-2022-07.csv", dtype=str, encoding="utf-8")
    kept = plain.drop(index=[327 - 2, 359 - 2])  # spreadsheet rows 327 and 359 (header is row 1)
    df = load("contracts", data_dir=root / REAL / "salford")
    assert len(df) == len(kept)
    expected = pd.to_numeric(kept["Total Contract Value (including extensions)"], errors="coerce").sum()
    assert df["total_value"].sum() == pytest.approx(expected, abs=0.005)
    sme = kept["SME Supplier?"].str.strip().str.casefold()
    assert df["sme"].sum() == (sme == "yes").sum(), "SME flags read from Yes/No"
    assert df["start_date"].isna().sum() == kept["Start Date"].fillna("").str.strip().isin(["", "N/A", "TBC", "X"]).sum(), "TBC dates are missing, not errors"
