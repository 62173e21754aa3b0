"""Reading CRM exports: column maps, currency symbols, locales, chunks, and hostile files."""

from pathlib import Path

import numpy as np
import pytest

from coursekit.errors import CourseError
from coursekit.signals.crm import MAX_EXPORT_BYTES, parse_columns, read_export, read_quotas


def write(tmp_path: Path, text: str, name: str = "export.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def one_line_error(path, **kw) -> str:
    with pytest.raises(CourseError) as e:
        read_export(path, **kw)
    msg = str(e.value)
    assert "\n" not in msg and "Traceback" not in msg
    return msg


def test_plain_export_exact_cents_and_optional_columns(tmp_path):
    p = write(tmp_path, "date,amount,rep,account,discount,segment\n"
                        "2027-01-04,1234.5,Ana,Acme,0.1,smb\n"
                        "2027-01-05,0.07,Ben,Globex,,enterprise\n"
                        "2027-01-06,19999.99,Ana,Acme,15%,smb\n")
    d = read_export(p).deals
    assert d["cents"].tolist() == [123450, 7, 1999999]
    assert d["rep"].tolist() == ["Ana", "Ben", "Ana"]
    assert str(d["date"].iloc[2].date()) == "2027-01-06"
    assert d["discount"].iloc[0] == pytest.approx(0.1) and np.isnan(d["discount"].iloc[1]) and d["discount"].iloc[2] == pytest.approx(0.15)


def test_half_up_cents_for_amounts_with_more_decimals(tmp_path):
    p = write(tmp_path, "date,amount,rep\n2027-01-04,10.005,a\n2027-01-04,10.004,a\n2027-01-04,\"$2,000.125\",a\n")
    assert read_export(p).deals["cents"].tolist() == [1001, 1000, 200013]  # half-up: .005 -> .01, .125 -> .13


def test_salesforce_report_export(tmp_path):
    p = write(tmp_path, "Opportunity Owner,Account Name,Opportunity Name,Close Date,Amount,Discount\n"
                        "Ana Fox,Acme Corp,Renewal,1/31/2027,\"USD 12,345.67\",5%\n"
                        "Ben Cruz,Globex,New,12/1/2027,\"USD 900.00\",0%\n")
    ex = read_export(p, source="salesforce", currency="USD")
    d = ex.deals
    assert d["cents"].tolist() == [1234567, 90000] and ex.currency == "USD"
    assert [str(x.date()) for x in d["date"]] == ["2027-01-31", "2027-12-01"]  # month/day/year
    assert d["account"].tolist() == ["Acme Corp", "Globex"] and d["discount"].tolist() == pytest.approx([0.05, 0.0])


def test_hubspot_export_with_times_and_symbols(tmp_path):
    p = write(tmp_path, "Record ID,Deal Name,Deal owner,Close Date,Amount,Associated Company\n"
                        "1,x,Ana Fox,2027-03-31 14:05,\"$1,500\",Acme\n"
                        "2,y,Ben Cruz,2027-04-01 09:00,$250.5,Globex\n")
    d = read_export(p, source="hubspot").deals
    assert d["cents"].tolist() == [150000, 25050] and d["rep"].tolist() == ["Ana Fox", "Ben Cruz"]
    assert str(d["date"].iloc[0].date()) == "2027-03-31"


def test_times_and_zones_keep_the_date_as_written(tmp_path):
    p = write(tmp_path, "date,amount,rep\n2027-01-01T23:30:00+01:00,1,a\n2027-01-02T10:00:00-05:00,2,b\n2027-01-03 09:00,3,c\n")
    assert [str(x.date()) for x in read_export(p).deals["date"]] == ["2027-01-01", "2027-01-02", "2027-01-03"]


def test_user_column_map_and_headers_matched_loosely(tmp_path):
    p = write(tmp_path, "Won On,  Deal Value ,Seller\n2027-02-01,100,Ana\n")
    d = read_export(p, columns=parse_columns("date=Won On,amount=deal value,rep=SELLER")).deals
    assert d["cents"].tolist() == [10000]
    with pytest.raises(CourseError, match="unknown field 'colour'"):
        parse_columns("colour=Red")


def test_dayfirst_and_decimal_comma_with_semicolons(tmp_path):
    p = write(tmp_path, "date;amount;rep\n31.03.2027;1.234,56 €;Élodie\n01.04.2027;€ 7,5;Élodie\n")
    d = read_export(p, dayfirst=True, decimal_comma=True).deals
    assert d["cents"].tolist() == [123456, 750]
    assert [str(x.date()) for x in d["date"]] == ["2027-03-31", "2027-04-01"]
    msg = one_line_error(p, decimal_comma=True)  # 31.03.2027 read month-first is no date
    assert "row 2" not in msg and ":2: date:" in msg and "--dayfirst" in msg


def test_chunks_give_the_same_frame_and_the_right_row_numbers(tmp_path):
    rows = "".join(f"2027-01-{1 + i % 28:02d},{100 + i}.25,rep{i % 3},acct{i % 5}\n" for i in range(50))
    p = write(tmp_path, "date,amount,rep,account\n" + rows)
    whole, chunked = read_export(p).deals, read_export(p, chunk_rows=7).deals
    assert whole.astype(str).equals(chunked.astype(str))
    bad = write(tmp_path, "date,amount,rep,account\n" + rows.replace("2027-01-13,140.25", "2027-01-13,lots"), "bad.csv")
    # the 41st deal (i = 40) is on spreadsheet row 42, in the sixth chunk of 7
    assert ":42: amount: 'lots' is not an amount" in one_line_error(bad, chunk_rows=7)


@pytest.mark.parametrize("cell", ["9999-12-31", "0001-01-01", "20270-01-01", "1850-06-01", "2027-02-30", "yesterday"])
def test_dates_far_out_of_range_or_wrong_are_refused(tmp_path, cell):
    p = write(tmp_path, f"date,amount,rep\n2027-01-04,1,a\n{cell},1,a\n")
    msg = one_line_error(p)
    assert ":3: date:" in msg and "between 1900 and 2200" in msg


def test_formula_cells_are_text_or_refused_never_evaluated(tmp_path):
    p = write(tmp_path, "date,amount,rep,account\n2027-01-04,100,\"=cmd|' /C calc'!A0\",\"@SUM(1+1)*cmd|' /C calc'!A0\"\n")
    d = read_export(p).deals
    assert d["rep"].tolist() == ["=cmd|' /C calc'!A0"] and d["account"].tolist() == ["@SUM(1+1)*cmd|' /C calc'!A0"]
    bad = write(tmp_path, "date,amount,rep\n2027-01-04,=1+2,a\n", "bad.csv")
    assert ":2: amount: '=1+2' is not an amount" in one_line_error(bad)


def test_a_file_over_the_limit_is_refused_on_its_size_before_parsing(tmp_path):
    p = tmp_path / "huge.csv"
    with p.open("wb") as fh:  # a sparse file: 200 MB plus one byte, nothing written
        fh.truncate(MAX_EXPORT_BYTES + 1)
    msg = one_line_error(p)
    assert "200,000,001 bytes, more than the 200,000,000 allowed" in msg and "split the file" in msg


@pytest.mark.parametrize("rows, what", [
    ("2027-01-04,$100,a\n2027-01-05,€200,a\n", "mixes currencies"),
    ("2027-01-04,EUR 100,a\n", "is not the plan's currency USD"),
    ("2027-01-04,100 USD,a\n2027-01-05,100 GBP,a\n", "is not the plan's currency USD"),
])
def test_mixed_or_foreign_currencies_are_refused(tmp_path, rows, what):
    assert what in one_line_error(write(tmp_path, "date,amount,rep\n" + rows), currency="USD")


def test_a_currency_column_is_checked_too(tmp_path):
    p = write(tmp_path, "date,amount,rep,currency\n2027-01-04,100,a,USD\n2027-01-05,100,a,EUR\n")
    assert ":3: amount: 'EUR'" in one_line_error(p, currency="USD")


@pytest.mark.parametrize("text, what", [
    ("", "is empty"),
    ("date,amount,rep\n", "has a header but no deals"),
    ("Close,Value,Owner\n2027-01-01,1,a\n", "no column 'date'"),
    ("date,amount,rep\n2027-01-04,100,a,extra,cells\n", "well-formed CSV"),
    ("date,amount,rep\n2027-01-04,-5,a\n", "is negative"),
    ("date,amount,rep\n2027-01-04,1e15,a\n", "out of range"),
    ("date,amount,rep\n2027-01-04,5,\n", ":2: rep: is empty"),
    ("date,amount,rep,discount\n2027-01-04,5,a,1.5\n", "outside 0 to 1"),
])
def test_bad_exports_get_one_line(tmp_path, text, what):
    p = write(tmp_path, text)
    assert what in one_line_error(p)


def test_binary_and_missing_files(tmp_path):
    p = tmp_path / "x.csv"
    p.write_bytes(b"date,amount\x00\x01\x02")
    assert "binary" in one_line_error(p)
    assert "cannot read" in one_line_error(tmp_path / "nope.csv")
    with pytest.raises(CourseError, match="not a known export"):
        read_export(write(tmp_path, "date,amount,rep\n2027-01-01,1,a\n"), source="pipedrive")


def test_quota_file(tmp_path):
    assert read_quotas(write(tmp_path, "rep,quota\nAna,\"720,000\"\nBen,600000.50\n", "q.csv")) == {"Ana": 720000.0, "Ben": 600000.5}
    with pytest.raises(CourseError, match=":3: quota"):
        read_quotas(write(tmp_path, "rep,quota\nAna,1\nBen,0\n", "q2.csv"))
