"""A corpus of awkward and malformed spend files, each loading correctly or stopping with a clear message.

Every file is built here from the same twelve payments, so a file that loads must give
exactly those twelve rows and their net total. A file that cannot load must name the
file and, where it concerns a column, the column and its rows; and never a traceback.
"""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

from curriculum import DataError, MappingError, load

PAYMENTS = [  # date, ref, amount, supplier, service, category
    ("2024-04-02", "T01", 1250.00, "Acme Ltd", "Highways", "Materials"),
    ("2024-04-09", "T02", -310.50, "Acme Ltd", "Highways", "Materials"),
    ("2024-04-16", "T03", 2000.00, "Bloggs & Co", "Education", "Agency staff"),
    ("2024-04-23", "T04", 12345.67, "Caerffili Cleaning Cyf", "Corporate", "Cleaning"),
    ("2024-05-01", "T05", 505.10, "Dŵr Services", "Housing", "Repairs"),
    ("2024-05-08", "T06", 99999.99, "Evans, Evans and Jones", "Adult Social Care", "Care homes"),
    ("2024-05-15", "T07", 760.00, "Ffion's Café", "Leisure", "Catering"),
    ("2024-05-22", "T08", -1000.00, "Gwent Waste Ltd", "Waste", "Disposal"),
    ("2024-06-03", "T09", 1500.25, "Hafod Homes", "Housing", "Temporary accommodation"),
    ("2024-06-10", "T10", 600.00, "Iechyd Da CIC", "Public Health", "Grants"),
    ("2024-06-17", "T11", 3210.00, "Jones the Builders", "Regeneration", "Construction"),
    ("2024-06-24", "T12", 845.40, "Kier Ltd", "Highways", "Resurfacing"),
]
TOTAL = round(sum(p[2] for p in PAYMENTS), 2)
HEADER = ["Date", "Ref", "Amount", "Supplier", "Service", "Category"]
MAPPING = """
datasets:
  spend:
    file: {file}
{extra}    columns:
      payment_date: Date
      transaction_id: Ref
      amount: Amount
      supplier_name: Supplier
      service: Service
      category: Category
"""


def _frame(date_fmt="%d/%m/%Y", amount=lambda a: f"{a:.2f}"):
    rows = [[pd.Timestamp(d).strftime(date_fmt), r, amount(a), s, sv, c] for d, r, a, s, sv, c in PAYMENTS]
    return pd.DataFrame(rows, columns=HEADER)


def _csv(frame=None, sep=",", line_end="\n", encoding="utf-8", before="", after="", bom=False):
    text = (frame if frame is not None else _frame()).to_csv(index=False, sep=sep, lineterminator=line_end)
    data = (before + text + after).encode(encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + data


def _xlsx(frame=None, title_rows=0, sheet="Sheet1", other_sheet=False):
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        if other_sheet:
            pd.DataFrame({"Notes": ["Published under the Transparency Code"]}).to_excel(xl, sheet_name="Notes", index=False)
        (frame if frame is not None else _frame()).to_excel(xl, sheet_name=sheet, index=False, startrow=title_rows)
        if title_rows:
            xl.sheets[sheet]["A1"] = "Payments over £500"
    return buf.getvalue()


def _money(a):
    return f"£{a:,.2f}" if a >= 0 else f"(£{-a:,.2f})"


LOADS = {
    "utf8": (_csv(), "", {}),
    "utf8_bom": (_csv(bom=True), "", {}),
    "cp1252": (_csv(encoding="cp1252", frame=_frame(amount=_money).assign(Supplier=lambda f: f.Supplier.str.replace("Dŵr", "Dwr"))), "", {}),
    "utf16_excel_text": (b"\xff\xfe" + _frame().to_csv(index=False, sep="\t").encode("utf-16-le"), "", {}),
    "semicolon": (_csv(sep=";"), "", {}),
    "tab": (_csv(sep="\t"), "", {}),
    "pipe": (_csv(sep="|"), "", {}),
    "crlf": (_csv(line_end="\r\n"), "", {}),
    "title_rows_above_header": (_csv(before="Cyngor Sir / County Council\nPayments over £500, Q1 2024-25\n\n"), "", {}),
    "header_row_given": (_csv(before="Payments over £500\n\n"), "    header_row: 3\n", {}),
    "trailing_totals_row": (_csv(after=f"Total,,{TOTAL:.2f},,,\n"), "", {}),
    "trailing_amount_only_row": (_csv(after=f",,{TOTAL:.2f},,,\n"), "", {}),
    "trailing_grand_total_and_blanks": (_csv(after=f"\n\nGrand total,,{TOTAL:.2f},,,\n,,,,,\n"), "", {}),
    "blank_lines_inside": (_csv().replace(b"\nT", b"\nT"), "", {}),
    "blank_columns": (_csv(frame=_frame().assign(**{"": "", "Unnamed": ""})), "", {}),
    "currency_and_thousands": (_csv(frame=_frame(amount=lambda a: f"£{a:,.2f}")), "", {}),
    "brackets_for_negatives": (_csv(frame=_frame(amount=_money)), "", {}),
    "trailing_minus": (_csv(frame=_frame(amount=lambda a: f"{abs(a):.2f}-" if a < 0 else f"{a:.2f}")), "", {}),
    "trailing_spaces": (_csv(frame=_frame(amount=lambda a: f"{a:.2f}   ").assign(Supplier=lambda f: f.Supplier + "  ")), "", {}),
    "gbp_prefix": (_csv(frame=_frame(amount=lambda a: f"GBP {a:.2f}")), "", {}),
    "dates_iso": (_csv(frame=_frame("%Y-%m-%d")), '    date_format: "%Y-%m-%d"\n', {}),
    "dates_dd_mon_yyyy": (_csv(frame=_frame("%d-%b-%Y")), '    date_format: "%d-%b-%Y"\n', {}),
    "dates_with_time": (_csv(frame=_frame("%d/%m/%Y %H:%M")), "", {}),
    "dates_guessed_day_first": (_csv(), "", {}),
    "quoted_commas_and_newlines": (_csv(frame=_frame().assign(Category=lambda f: f.Category + ", general\nline two")), "", {}),
    "header_case_and_spaces": (_csv(frame=_frame().rename(columns={"Amount": " AMOUNT ", "Supplier": "supplier"})), "", {}),
    "mojibake_bom_header": ("\u00ef\u00bb\u00bf".encode("utf-8") + _csv(), "", {}),
    "xlsx": (_xlsx(), "", {"suffix": ".xlsx"}),
    "xlsx_title_row": (_xlsx(title_rows=2), "", {"suffix": ".xlsx"}),
    "xlsx_named_sheet": (_xlsx(sheet="Q1 payments", other_sheet=True), "    sheet: Q1 payments\n", {"suffix": ".xlsx"}),
    "na_placeholders_in_optional_column": (_csv(frame=_frame().assign(Proclass=["N/A", "NULL", "", "-"] * 3)), "", {}),
}

FAILS = {
    "empty_file": (b"", "", ["data.csv", "empty"]),
    "header_only": (",".join(HEADER).encode() + b"\n", "", ["data.csv", "no data rows"]),
    "declared_utf8_but_cp1252": (_csv(encoding="cp1252", frame=_frame(amount=_money).assign(Supplier="Caffè")),
                                 "    encoding: utf-8\n", ["data.csv", "cannot be read as utf-8", "line 2", "cp1252"]),
    "binary_not_csv": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "", ["data.csv", "NUL bytes"]),
    "missing_column": (_csv(frame=_frame().drop(columns="Category")), "", ["data.csv", "'Category'", "The file's columns are"]),
    "renamed_column": (_csv(frame=_frame().rename(columns={"Supplier": "Supplier Name"})), "", ["did you mean 'Supplier Name'"]),
    "text_in_amounts": (_csv(frame=_frame().assign(Amount=lambda f: f.Amount.where(f.index != 4, "five hundred"))),
                        "", ["column 'Amount'", "rows 6", "'five hundred'", "expected amounts"]),
    "unparseable_dates": (_csv(frame=_frame().assign(Date=lambda f: f.Date.where(f.index != 2, "31/02/2024"))),
                          '    date_format: "%d/%m/%Y"\n', ["column 'Date'", "rows 4", "'31/02/2024'", "date_format"]),
    "mixed_date_formats": (_csv(frame=_frame().assign(Date=lambda f: f.Date.where(f.index < 6, "2024-06-01"))),
                           '    date_format: "%d/%m/%Y"\n', ["column 'Date'", "rows 8, 9, 10, 11, 12 (first 5 of 6)"]),
    "blank_supplier": (_csv(frame=_frame().assign(Supplier=lambda f: f.Supplier.where(f.index != 0, ""))),
                       "", ["column 'Supplier'", "must not be empty", "rows 2"]),
    "truncated_last_record": (_csv() + b"30/06/2024,T13,", "", ["rows 14", "must not be empty"]),
    "corrupt_xlsx": (b"PK\x03\x04 this is not really a workbook", "", ["data.xlsx", "cannot be read as a table"]),
    "wrong_sheet": (_xlsx(), "    sheet: Payments\n", ["data.xlsx", "cannot be read as a table"]),
    "unknown_encoding": (_csv(), "    encoding: klingon\n", ["not a known encoding"]),
}


def _folder(tmp_path, name, data, extra, suffix=".csv"):
    folder = tmp_path / name
    folder.mkdir()
    file = f"data{suffix}"
    (folder / file).write_bytes(data)
    (folder / "mapping.yaml").write_text(textwrap.dedent(MAPPING).format(file=file, extra=extra), encoding="utf-8")
    return folder


def test_corpus_is_large_enough():
    """At least 30 awkward or malformed files are exercised."""
    assert len(LOADS) + len(FAILS) >= 30


@pytest.mark.parametrize("case", sorted(LOADS))
def test_awkward_file_loads_correctly(tmp_path, case):
    """The file loads with exactly the twelve payments and their net total."""
    data, extra, opts = LOADS[case]
    df = load("spend", data_dir=_folder(tmp_path, case, data, extra, opts.get("suffix", ".csv")))
    assert len(df) == len(PAYMENTS), f"{case}: {len(df)} rows"
    assert round(df["amount"].sum(), 2) == TOTAL, f"{case}: total {df['amount'].sum()}"
    assert sorted(df["transaction_id"]) == [p[1] for p in PAYMENTS]
    assert df["payment_date"].dt.strftime("%Y-%m-%d").tolist() == [p[0] for p in PAYMENTS], f"{case}: dates"


@pytest.mark.parametrize("case", sorted(FAILS))
def test_malformed_file_stops_with_a_clear_message(tmp_path, case):
    """The file stops with a message naming what is wrong (file, column, rows) and no traceback."""
    data, extra, expected = FAILS[case]
    suffix = ".xlsx" if "xlsx" in case or case == "wrong_sheet" else ".csv"
    folder = _folder(tmp_path, case, data, extra, suffix)
    with pytest.raises((DataError, MappingError)) as err:
        load("spend", data_dir=folder)
    for part in expected:
        assert part in str(err.value), f"{case}: {part!r} missing from: {err.value}"


def test_bad_file_leaves_earlier_reports_intact(tmp_path):
    """A rerun on a malformed file stops before running: exit 2, no traceback, earlier outputs untouched."""
    data, extra, _ = FAILS["text_in_amounts"]
    folder = _folder(tmp_path, "bad", data, extra)
    out = tmp_path / "reports"
    (out / "testshire").mkdir(parents=True)
    earlier = out / "testshire" / "where_the_money_goes.html"
    earlier.write_text("the report published last month")
    proc = subprocess.run([sys.executable, "-m", "curriculum.cli", "run", "where_the_money_goes", "--council", "Testshire",
                           "--data-dir", str(folder), "--out", str(out), "--quiet"], capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "five hundred" in proc.stderr, proc.stderr
    assert earlier.read_text() == "the report published last month"
    assert sorted(p.name for p in out.rglob("*")) == ["testshire", "where_the_money_goes.html"], "nothing else written"
