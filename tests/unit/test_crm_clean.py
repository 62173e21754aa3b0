"""Cleaning a CRM export before any test: every decision one line in the notes, or one line of refusal."""

import datetime as dt

import pytest

from coursekit.errors import CourseError
from coursekit.signals.crm import read_export


def write(tmp_path, text: str, name: str = "export.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def read(tmp_path, text: str, **kw):
    ex = read_export(write(tmp_path, text), **kw)
    return [(str(d.date()), c, r) for d, c, r in zip(ex.deals["date"], ex.deals["cents"], ex.deals["rep"])], ex.notes


def refusal(tmp_path, text: str, **kw) -> str:
    with pytest.raises(CourseError) as err:
        read_export(write(tmp_path, text), **kw)
    msg = str(err.value)
    assert "\n" not in msg and "Traceback" not in msg
    return msg


def test_lost_and_open_stages_are_set_aside_and_counted(tmp_path):
    rows, notes = read(tmp_path, "date,amount,rep,Stage\n2027-01-04,100,a,Closed Won\n2027-01-05,200,a,Closed Lost\n"
                                 "2027-01-06,300,b,Negotiation\n2027-01-07,400,b,Closed Lost\n2027-01-08,5,b,won\n")
    assert rows == [("2027-01-04", 10000, "a"), ("2027-01-08", 500, "b")]
    assert notes == ["set aside 3 rows whose Stage is not won (Closed Lost 2, Negotiation 1)"]


def test_hubspot_deal_stage_and_a_named_won_stage(tmp_path):
    text = "Deal owner,Close Date,Amount,Deal Stage\nAna,2027-01-04,100,closedwon\nAna,2027-01-05,7,Signed\nBen,2027-01-06,9,lost\n"
    rows, _ = read(tmp_path, text, source="hubspot")
    assert [r[1] for r in rows] == [10000]
    rows, notes = read(tmp_path, text, source="hubspot", won=("Signed",))
    assert [r[1] for r in rows] == [700] and notes == ["set aside 2 rows whose Deal Stage is not won (closedwon 1, lost 1)"]


def test_no_won_row_is_refused_naming_the_column_and_the_flag(tmp_path):
    msg = refusal(tmp_path, "date,amount,rep,stage\n2027-01-05,200,a,Closed Lost\n2027-01-06,300,a,Proposal\n")
    assert "stage: no row is won" in msg and "--won" in msg


def test_repeated_rows_collapse_and_line_items_sum_into_one_deal(tmp_path):
    rows, notes = read(tmp_path, "deal_id,date,amount,rep,account\n1,2027-01-04,100,a,x\n1,2027-01-04,100,a,x\n2,2027-01-05,5,a,y\n")
    assert rows == [("2027-01-04", 10000, "a"), ("2027-01-05", 500, "a")]
    assert notes == ["removed 1 row repeating another row exactly"]
    ex = read_export(write(tmp_path, "deal_id,date,amount,rep,account,product,discount\n1,2027-01-04,100,a,x,p1,0.1\n"
                                     "1,2027-01-04,300,a,x,p2,0.2\n2,2027-01-05,5,a,y,p1,0\n"))
    assert list(ex.deals["cents"]) == [40000, 500] and list(ex.deals["deal_id"]) == ["1", "2"]
    assert ex.deals["discount"].iloc[0] == pytest.approx((0.1 * 100 + 0.2 * 300) / 400)  # weighted by the lines' amounts
    assert ex.notes == ["summed 2 line-item rows into 1 deal by deal_id (a line-item report)"]


@pytest.mark.parametrize("rows, what", [
    ("1,2027-01-04,100,a\n1,2027-02-05,300,a\n", "'1' has more than one close date"),
    ("1,2027-01-04,100,a\n1,2027-01-04,300,b\n", "'1' has more than one owner"),
])
def test_one_id_with_two_owners_or_dates_is_refused(tmp_path, rows, what):
    assert what in refusal(tmp_path, "deal_id,date,amount,rep\n" + rows)


def test_repeats_without_an_id_or_account_are_kept_and_said(tmp_path):
    rows, notes = read(tmp_path, "date,amount,rep\n2027-01-04,100,a\n2027-01-04,100,a\n")
    assert len(rows) == 2 and notes == ["kept 1 row repeating another row exactly (no deal_id or account to tell a repeat "
                                        "from a twin deal)"]


@pytest.mark.parametrize("amounts, cents, note", [
    (['"1.234,56"', '"2.000"'], [123456, 200000], "amounts read with a decimal comma, as row 2 ('1.234,56') shows"),
    (['"2.000"', '"1.234,56"'], [200000, 123456], "amounts read with a decimal comma, as row 3 ('1.234,56') shows"),
    (['"1,234"', "12.5"], [123400, 1250], "amounts read with a decimal point, as row 3 ('12.5') shows"),
    (['"7,5"', "100"], [750, 10000], "amounts read with a decimal comma, as row 2 ('7,5') shows"),
    (['"1,234,567"'], [123456700], "amounts read with a decimal point, as row 2 ('1,234,567') shows"),
])
def test_the_decimal_mark_is_read_from_the_data(tmp_path, amounts, cents, note):
    text = "date,amount,rep\n" + "".join(f"2027-01-0{i + 4},{a},r\n" for i, a in enumerate(amounts))
    rows, notes = read(tmp_path, text)
    assert [r[1] for r in rows] == cents and notes == [note]


@pytest.mark.parametrize("amounts, kw, what", [
    (['"1,234"', '"2,500"'], {}, "'1,234' could be thousands or decimals"),
    (["1.234", "2.500"], {}, "'1.234' could be thousands or decimals"),
    (['"1,234.56"'], {"decimal_comma": True}, "'1,234.56' has a decimal point, against --decimal-comma (drop --decimal-comma)"),
    (['"1.234,56"'], {"decimal_comma": False}, "against --decimal-point (pass --decimal-comma)"),
    (['"1.234,56"', '"1,234.56"'], {}, "writes its decimals unlike row 2"),
])
def test_an_unsettled_or_contradicted_decimal_mark_is_refused(tmp_path, amounts, kw, what):
    text = "date,amount,rep\n" + "".join(f"2027-01-0{i + 4},{a},r\n" for i, a in enumerate(amounts))
    msg = refusal(tmp_path, text, **kw)
    assert what in msg and ("--decimal" in msg or "one decimal mark" in msg)


def test_the_flag_settles_what_the_data_cannot(tmp_path):
    text = 'date,amount,rep\n2027-01-04,"1,234",r\n2027-01-05,2.500,r\n'
    assert [r[1] for r in read(tmp_path, text, decimal_comma=False)[0]] == [123400, 250]
    assert [r[1] for r in read(tmp_path, text, decimal_comma=True)[0]] == [123, 250000]


@pytest.mark.parametrize("text, line", [
    ("date,amount,rep\n2027-01-04,100,a\n2027-01-05,100,Grand Total\n", None),
    ("rep,date,amount\na,2027-01-04,100\nGrand Total,,100\n", 3),
    ("rep,date,amount\na,2027-01-04,100\nSubtotal,,100\nb,2027-01-05,1\n", 3),
])
def test_total_rows_are_refused(tmp_path, text, line):
    msg = refusal(tmp_path, text)
    assert "is a total row, not a deal" in msg and "without totals" in msg
    assert (f"export.csv:{line}:" in msg) if line else "export.csv: rep:" in msg


def test_a_salesforce_footer_is_dropped_and_said(tmp_path):
    rows, notes = read(tmp_path, 'Opportunity Owner,Close Date,Amount\nAna,1/4/2027,100\n,,\n'
                                 '"Confidential Information - Do Not Distribute",,\n'
                                 '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.",,\n', source="salesforce")
    assert rows == [("2027-01-04", 10000, "Ana")]
    assert notes == ["dropped 3 report footer lines ('Confidential Information - Do Not Distri')"]


def test_a_deal_without_a_date_is_still_an_error_with_its_row(tmp_path):
    msg = refusal(tmp_path, "rep,date,amount,account\na,2027-01-04,100,x\nb,,100,y\n")
    assert "export.csv:3: date:" in msg


def test_zero_amounts_and_future_close_dates_are_set_aside(tmp_path):
    rows, notes = read(tmp_path, "date,amount,rep\n2027-01-04,0,a\n2027-01-05,100,a\n2027-12-05,7,a\n", as_of=dt.date(2027, 6, 1))
    assert rows == [("2027-01-05", 10000, "a")]
    assert notes == ["set aside 1 deal of zero amount",
                     "set aside 1 deal closing after the export date 2027-06-01 (open deals; --as-of sets the date)"]
    assert "every close date is after the export date 2026-01-01" in refusal(tmp_path, "date,amount,rep\n2027-01-05,1,a\n",
                                                                             as_of=dt.date(2026, 1, 1))


def test_row_numbers_stay_true_after_rows_are_set_aside(tmp_path):
    text = "date,amount,rep,stage\n" + "2027-01-04,1,a,Closed Lost\n" * 5 + "2027-01-04,lots,a,Closed Won\n"
    assert "export.csv:7: amount: 'lots' is not an amount" in refusal(tmp_path, text, chunk_rows=4)


ROWS = "date,amount,rep\n" + "".join(f"2027-0{1 + k % 9}-1{k % 10},{1000 + k}.50,R{k % 7}\n" for k in range(3000))


def test_a_gzipped_export_reads_as_its_text_does(tmp_path):
    import gzip

    plain = read_export(write(tmp_path, ROWS))
    (tmp_path / "export.csv.gz").write_bytes(gzip.compress(ROWS.encode()))
    zipped = read_export(tmp_path / "export.csv.gz")
    assert zipped.deals.equals(plain.deals) and zipped.notes == plain.notes


def test_a_gzipped_export_is_limited_by_what_it_decompresses_to(tmp_path):
    """The limit applies to the decompressed bytes, read as a stream that stops there: a small .gz of a large text
    is refused in one line naming the limit, as the same text unzipped is on its size."""
    import gzip

    path = tmp_path / "export.csv.gz"
    path.write_bytes(gzip.compress(ROWS.encode()))
    limit = len(ROWS) // 2
    assert path.stat().st_size < limit  # the file itself is under the limit
    with pytest.raises(CourseError) as err:
        read_export(path, limit=limit)
    msg = str(err.value)
    assert "\n" not in msg and f"decompresses to more than the {limit:,} bytes allowed" in msg and "split the file" in msg
    with pytest.raises(CourseError, match=f"more than the {limit:,} allowed"):
        read_export(write(tmp_path, ROWS), limit=limit)


def test_a_broken_gzip_file_is_refused_in_one_line(tmp_path):
    path = tmp_path / "export.csv.gz"
    path.write_bytes(b"\x1f\x8b" + b"not really gzip" * 10)
    with pytest.raises(CourseError) as err:
        read_export(path)
    assert "\n" not in str(err.value) and "gzip" in str(err.value)


@pytest.mark.parametrize("columns", [1_001, 100_000])
def test_an_export_with_thousands_of_columns_is_refused_before_any_row_is_read(tmp_path, columns):
    header = "date,amount,rep," + ",".join(f"c{k}" for k in range(columns - 3))
    row = "2027-01-05,100,R1," + ",".join("x" for _ in range(columns - 3))
    msg = refusal(tmp_path, header + "\n" + row + "\n")
    assert "more than the 1,000 a deals export needs" in msg and "export only the deal columns" in msg
    assert (f"has {columns:,} columns" in msg) or (columns > 6_000 and "+ columns" in msg)


def test_a_wide_export_is_read_in_fewer_rows_at_a_time(tmp_path, monkeypatch):
    """Every column is parsed (a row with an extra cell is an error, not a shift), so a wide export's chunks hold fewer
    rows: the cells parsed at once stay within CHUNK_CELLS."""
    import pandas as pd

    from coursekit.signals import crm

    sizes = []
    real = pd.read_csv

    def spy(*a, **kw):
        if kw.get("chunksize"):
            sizes.append(kw["chunksize"])
        return real(*a, **kw)

    monkeypatch.setattr(pd, "read_csv", spy)
    header = "date,amount,rep," + ",".join(f"c{k}" for k in range(997))
    ex = crm.read_export(write(tmp_path, header + "\n" + "2027-01-05,100,R1" + ",x" * 997 + "\n"))
    assert len(ex.deals) == 1 and sizes and all(s * 1000 <= crm.CHUNK_CELLS for s in sizes)


def test_columns_hidden_after_a_quoted_line_break_in_the_header_are_counted(tmp_path):
    """The header's width was counted on its first physical line: a quoted name with a line break in it hid 100,000
    columns after it, which cost 25 s and 380 MB to refuse. The header is read as a CSV record."""
    header = 'date,amount,rep,"notes\nmore",' + ",".join(f"c{k}" for k in range(100_000))
    msg = refusal(tmp_path, header + "\n2027-01-05,100,R1,x" + ",1" * 100_000 + "\n")
    assert "more than the 1,000 a deals export needs" in msg
    header = 'date,amount,rep,"a\nb",' + ",".join(f"c{k}" for k in range(1_200))  # under the bytes read at first
    assert "has 1,204 columns" in refusal(tmp_path, header + "\n2027-01-05,100,R1,x" + ",1" * 1_200 + "\n")


@pytest.mark.parametrize("zipped", [False, True])
def test_rows_far_wider_than_the_header_are_refused_as_read_not_after_a_gigabyte(tmp_path, zipped):
    """Rows of 100,000 fields under a 3-column header: the parser held a whole chunk of them (1.1 GB for a 41 MB file)
    before saying the rows do not match the header (pandas' own message). They are refused as read, in one line
    naming the line, before the parser is given them."""
    import gzip

    row = "2027-01-05,100,R1" + ",1" * 100_000 + "\n"
    text = "date,amount,rep\n" + "2027-01-04,5,R2\n" * 3 + row * 40
    path = tmp_path / ("export.csv.gz" if zipped else "export.csv")
    path.write_bytes(gzip.compress(text.encode()) if zipped else text.encode())
    with pytest.raises(CourseError) as err:
        read_export(path)
    msg = str(err.value)
    assert "\n" not in msg and "far more fields than the header's 3 columns" in msg and f"{path}:1:" in msg


def test_quoted_commas_and_a_trailing_separator_are_not_taken_for_wide_rows(tmp_path):
    notes = '"Renewal, expansion, upsell, cross-sell, and a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p"'
    text = "date,amount,rep,notes\n" + "".join(f"2027-01-{1 + k % 28:02d},{100 + k},R{k % 3},{notes}\n" for k in range(5000))
    assert len(read_export(write(tmp_path, text)).deals) == 5000
    text = "date,amount,rep\n" + "".join(f"2027-01-{1 + k % 28:02d},{100 + k},R{k % 3},\n" for k in range(5000))
    assert len(read_export(write(tmp_path, text)).deals) == 5000
