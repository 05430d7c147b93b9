"""Loading council files through mappings: good files load, bad ones give clear messages."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from curriculum import DataError, MappingError, UnknownCouncilError, load
from curriculum.datasets import check_data
from tests.conftest import SPEND_CSV, SPEND_MAPPING


def test_load_maps_and_types_columns(council_folder):
    """A small file loads with the curriculum's names, parsed dates and amounts, and the mapping's council label."""
    df = load("spend", council="ignored", data_dir=council_folder(SPEND_CSV, SPEND_MAPPING))
    assert list(df.columns[:3]) == ["council", "payment_date", "transaction_id"], "schema column order"
    assert df["amount"].tolist() == [1200.5, -300.0, 2000.0], "amounts with £ and thousands separators parse"
    assert df["payment_date"].dt.strftime("%Y-%m-%d").tolist() == ["2010-12-24", "2011-01-14", "2011-01-15"]
    assert set(df["council"]) == {"Testshire"}, "the mapping's council label is used"
    assert df.attrs["files"] == ["spend.csv"]


@pytest.mark.parametrize("raw, expected", [
    ("(80.00)", -80.0), ("1,234.56 ", 1234.56), ("£500", 500.0), ("-12.5", -12.5), ("80.00-", -80.0), ("GBP 700", 700.0),
])
def test_amount_formats(council_folder, raw, expected):
    """Amounts in the forms councils publish are read as numbers (brackets and trailing minus are negative)."""
    csv = f'Date,Ref,Amount,Supplier,Service,Category\n01/04/2024,T1,"{raw}",A Ltd,S,C\n'
    df = load("spend", data_dir=council_folder(csv, SPEND_MAPPING))
    assert df["amount"].iloc[0] == pytest.approx(expected), f"{raw!r} should read as {expected}"


@pytest.mark.parametrize("fmt, raw", [("%d/%m/%Y", "24/12/2010"), ("%d-%b-%Y", "24-Dec-2010"), ("%Y-%m-%d", "2010-12-24")])
def test_date_formats(council_folder, fmt, raw):
    """Each date format councils use parses when the mapping names it."""
    mapping = SPEND_MAPPING.replace('"%d/%m/%Y"', f'"{fmt}"')
    csv = f"Date,Ref,Amount,Supplier,Service,Category\n{raw},T1,600,A Ltd,S,C\n"
    df = load("spend", data_dir=council_folder(csv, mapping))
    assert df["payment_date"].iloc[0] == pd.Timestamp("2010-12-24")


def test_dates_guessed_without_format(council_folder):
    """Without date_format the UK day-first format is found and used."""
    mapping = SPEND_MAPPING.replace('    date_format: "%d/%m/%Y"\n', "")
    csv = "Date,Ref,Amount,Supplier,Service,Category\n03/04/2024,T1,600,A Ltd,S,C\n25/04/2024,T2,700,B Ltd,S,C\n"
    df = load("spend", data_dir=council_folder(csv, mapping))
    assert df["payment_date"].tolist() == [pd.Timestamp("2024-04-03"), pd.Timestamp("2024-04-25")], "3 April, not 4 March"


def test_awkward_layout_reads(council_folder):
    """Semicolons, a title line above the header, a BOM, blank lines and blank columns are all handled."""
    csv = ("\ufeffPayments over £500;;;;;;\n;;;;;;\nDate;Ref;Amount;Supplier;Service;Category;\n"
           "24/12/2010;T1;1 200,00;A Ltd;S;C;\n;;;;;;\n25/12/2010;T2;50;B Ltd;S;C;\n").replace("1 200,00", "1200.00")
    df = load("spend", data_dir=council_folder(csv.encode("utf-8"), SPEND_MAPPING))
    assert len(df) == 2, "the blank line is dropped and both payments kept"
    assert df["amount"].sum() == pytest.approx(1250.0)


def test_windows_1252_is_read_automatically(council_folder):
    """A file saved by Excel on Windows (cp1252, with a £ sign) reads without an encoding setting."""
    csv = "Date,Ref,Amount,Supplier,Service,Category\n24/12/2010,T1,£600,Caffè Ltd,S,C\n".encode("cp1252")
    df = load("spend", data_dir=council_folder(csv, SPEND_MAPPING))
    assert df["supplier_name"].iloc[0] == "Caffè Ltd" and df["amount"].iloc[0] == 600.0


def test_mojibake_bom_header_is_cleaned(council_folder):
    """A byte-order mark re-encoded into the first header ('ï»¿Date') still matches the mapping."""
    csv = ("\u00ef\u00bb\u00bfDate,Ref,Amount,Supplier,Service,Category\n24/12/2010,T1,600,A Ltd,S,C\n").encode("utf-8")
    assert len(load("spend", data_dir=council_folder(csv, SPEND_MAPPING))) == 1


# --- broken inputs: each gives a clear message naming file, column, rows, expectation and fix ---

def _message(folder) -> str:
    with pytest.raises(DataError) as err:
        load("spend", data_dir=folder)
    return str(err.value)


def test_missing_column(council_folder):
    """A mapped column the file lacks is named, with the file's columns and a close match."""
    csv = SPEND_CSV.replace("Supplier,", "Supplier Name,")
    msg = _message(council_folder(csv, SPEND_MAPPING))
    assert "spend.csv" in msg and "'Supplier'" in msg, msg
    assert "did you mean 'Supplier Name'" in msg, "suggests the closest column"
    assert "How to fix" in msg


def test_wrong_type(council_folder):
    """Text in an amount column is reported with its rows and values."""
    csv = SPEND_CSV.replace("1200.50", "twelve hundred").replace("-300.00", "TBC")
    msg = _message(council_folder(csv, SPEND_MAPPING))
    assert "column 'Amount'" in msg and "rows 2, 3" in msg, msg
    assert "'twelve hundred'" in msg and "expected amounts" in msg


def test_unparseable_dates(council_folder):
    """Dates in another format are reported with rows, values, the expected format and how to fix it."""
    csv = SPEND_CSV.replace("24/12/2010", "2010-12-24").replace("14/01/2011", "31/02/2011")
    msg = _message(council_folder(csv, SPEND_MAPPING))
    assert "column 'Date'" in msg and "rows 2, 3" in msg and "'2010-12-24'" in msg, msg
    assert "%d/%m/%Y" in msg and "date_format" in msg


def test_empty_file(council_folder):
    """A zero-byte file says it is empty."""
    msg = _message(council_folder(b"", SPEND_MAPPING))
    assert "spend.csv" in msg and "empty" in msg, msg


def test_header_only(council_folder):
    """A file with a header and no rows says so."""
    msg = _message(council_folder("Date,Ref,Amount,Supplier,Service,Category\n", SPEND_MAPPING))
    assert "no data rows" in msg, msg


def test_wrong_encoding(council_folder):
    """A cp1252 file declared as UTF-8 names the byte, the line and the encoding to use."""
    csv = "Date,Ref,Amount,Supplier,Service,Category\n24/12/2010,T1,£600,A Ltd,S,C\n".encode("cp1252")
    mapping = SPEND_MAPPING.replace("    file: spend.csv", "    file: spend.csv\n    encoding: utf-8")
    msg = _message(council_folder(csv, mapping))
    assert "cannot be read as utf-8" in msg and "line 2" in msg and "cp1252" in msg, msg


def test_blank_required_values(council_folder):
    """Blank supplier names break the schema and are reported by row."""
    csv = SPEND_CSV.replace("Bloggs & Co", "")
    msg = _message(council_folder(csv, SPEND_MAPPING))
    assert "column 'Supplier'" in msg and "must not be empty" in msg and "rows 4" in msg, msg


def test_several_problems_reported_together(council_folder):
    """Every broken column is reported in one message, not only the first."""
    csv = SPEND_CSV.replace("24/12/2010", "yesterday").replace("1200.50", "lots")
    msg = _message(council_folder(csv, SPEND_MAPPING))
    assert "'Date'" in msg and "'Amount'" in msg, msg


@pytest.mark.parametrize("mapping, expected", [
    (SPEND_MAPPING.replace("supplier_name: Supplier", "supplier: Supplier"), "'supplier' is not a column of the spend schema"),
    (SPEND_MAPPING.replace("      amount: Amount\n", ""), "required curriculum column(s) ['amount']"),
    (SPEND_MAPPING.replace("  spend:", "  spending:"), "unknown dataset kind"),
    (SPEND_MAPPING.replace("columns:", "columns: [", 1), "not valid YAML"),
    (SPEND_MAPPING.replace("file: spend.csv", "file: missing.csv"), "no file matches 'missing.csv'"),
])
def test_mapping_mistakes(council_folder, mapping, expected):
    """Mistakes in mapping.yaml are reported with the file and the entry to fix."""
    folder = council_folder(SPEND_CSV, mapping)
    with pytest.raises((MappingError, DataError)) as err:
        load("spend", data_dir=folder)
    assert expected in str(err.value), str(err.value)


def test_missing_mapping_and_folder(tmp_path):
    """A folder without mapping.yaml, or a data_dir that is not a folder, says what is needed."""
    with pytest.raises(MappingError, match="no mapping file"):
        load("spend", data_dir=tmp_path)
    with pytest.raises(MappingError, match="is not a folder"):
        load("spend", data_dir=tmp_path / "nope")


def test_unknown_council_for_demo_data():
    """A misspelt council suggests the right one."""
    with pytest.raises(UnknownCouncilError, match="Did you mean 'Merthyr Tydfil'"):
        load("spend", council="Merthyr Tidfil")


def test_check_data_collects_every_failure(council_folder):
    """check_data reports every failing dataset together."""
    folder = council_folder(SPEND_CSV.replace("1200.50", "x"), SPEND_MAPPING)
    with pytest.raises(DataError) as err:
        check_data(["spend", "contracts"], "Testshire", folder)
    assert "column 'Amount'" in str(err.value) and "no entry for dataset 'contracts'" in str(err.value)


def test_errors_render_without_traceback_in_jupyter():
    """IPython shows a CurriculumError as one plain message, not a traceback."""
    err = DataError("spend.csv: the file is empty")
    assert err._render_traceback_() == ["DataError: spend.csv: the file is empty"]


def test_cli_reports_bad_data_without_traceback(council_folder):
    """`infuse check` on broken data exits 2 with the message and no Python traceback."""
    folder = council_folder(SPEND_CSV.replace("24/12/2010", "Christmas Eve"), SPEND_MAPPING)
    proc = subprocess.run([sys.executable, "-m", "curriculum.cli", "check", "--data-dir", str(folder)],
                          capture_output=True, text=True)
    assert proc.returncode == 2, proc.stderr
    assert "Christmas Eve" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def test_excel_workbook_with_title_rows(tmp_path):
    """An Excel workbook whose header sits below a title row loads like a CSV."""
    folder = tmp_path / "xl"
    folder.mkdir()
    frame = pd.DataFrame([["Payments over £500", None, None, None, None, None],
                          ["Date", "Ref", "Amount", "Supplier", "Service", "Category"],
                          ["24/12/2010", "T1", "1200.5", "Acme Ltd", "Highways", "Materials"],
                          ["25/12/2010", "T2", "(200)", "Acme Ltd", "Highways", "Materials"]])
    frame.to_excel(folder / "spend.xlsx", header=False, index=False)
    (folder / "mapping.yaml").write_text(SPEND_MAPPING.replace("spend.csv", "spend.xlsx"), encoding="utf-8")
    df = load("spend", data_dir=folder)
    assert df["amount"].tolist() == [1200.5, -200.0]


def test_glob_stacks_monthly_files(council_folder):
    """A glob in 'file:' stacks monthly files, and errors name the file they come from."""
    folder = council_folder(SPEND_CSV, SPEND_MAPPING.replace("file: spend.csv", "file: spend-*.csv"), name="spend-2024-04.csv")
    (folder / "spend-2024-05.csv").write_text(SPEND_CSV.strip().replace("T1", "T9") + "\n", encoding="utf-8")
    df = load("spend", data_dir=folder)
    assert len(df) == 6 and df.attrs["files"] == ["spend-2024-04.csv", "spend-2024-05.csv"]
    (folder / "spend-2024-06.csv").write_text(SPEND_CSV.strip().replace("24/12/2010", "32/12/2010") + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"spend-2024-06.csv \(dataset 'spend'\)"):
        load("spend", data_dir=folder)


def test_sources_constants_and_joined_columns(tmp_path):
    """Several sources stack into one dataset; constants fill columns; lists of columns are joined."""
    folder = tmp_path / "agencies"
    folder.mkdir()
    (folder / "fire.csv").write_text("ID,Line 1,Town,PC,When,What\nF1,1 High St,Barry,CF62 7AA,01/02/2024,Notice\n")
    (folder / "police.csv").write_text("Ref,Where,When,Type\nP1,\"1 High Street, Barry\",02/02/2024,ASB\n")
    (folder / "mapping.yaml").write_text("""
datasets:
  agency_records:
    date_format: "%d/%m/%Y"
    sources:
      - file: fire.csv
        constants: {agency: Fire}
        columns: {record_id: ID, address: [Line 1, Town], postcode: PC, record_date: When, issue: What}
      - file: police.csv
        constants: {agency: Police}
        columns: {record_id: Ref, address: Where, record_date: When, issue: Type}
""")
    df = load("agency_records", council="Vale of Glamorgan", data_dir=folder)
    assert df["agency"].tolist() == ["Fire", "Police"]
    assert df["address"].tolist() == ["1 High St, Barry", "1 High Street, Barry"]
    assert df["postcode"].isna().tolist() == [False, True], "a source without postcodes gives missing values"
    assert df["premises_name"].isna().all(), "an unmapped optional column is present and empty"


def test_council_folder_of_a_demo_tree_uses_the_mapping_beside_it(tmp_path):
    """A council folder written by `infuse demo-data --out DIR` loads with DIR/mapping.yaml, as the bundled demo does."""
    import shutil

    from curriculum.datasets import demo_dir

    tree = tmp_path / "x10"
    (tree / "torfaen").mkdir(parents=True)
    shutil.copy(demo_dir("Torfaen") / "spend.csv", tree / "torfaen" / "spend.csv")
    shutil.copy(demo_dir("Torfaen").parent / "mapping.yaml", tree / "mapping.yaml")
    mine = load("spend", council="Torfaen", data_dir=tree / "torfaen")
    bundled = load("spend", council="Torfaen")
    assert len(mine) == len(bundled) and mine["amount"].sum() == pytest.approx(bundled["amount"].sum())


def test_required_nullable_columns_left_unmapped_load_as_missing(council_folder):
    """A register that lacks a required but nullable column (value, dates) loads with that column empty, whatever its type."""
    folder = council_folder("""
        Title,Supplier
        Gritting,Acme Ltd
        School meals,Bloggs & Co
        """, """
        council: Testshire
        datasets:
          contracts:
            file: contracts.csv
            columns:
              title: Title
              supplier_name: Supplier
        """, name="contracts.csv")
    contracts = load("contracts", data_dir=folder)
    assert len(contracts) == 2
    assert contracts["total_value"].isna().all() and contracts["total_value"].dtype == "float64"
    assert contracts["start_date"].isna().all() and contracts["contract_reference"].isna().all()
