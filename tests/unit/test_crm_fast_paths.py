"""The reader's shortcuts for large exports give what reading row by row gives (issue 26: 1M rows within 3x read_csv).

Distinct close dates are parsed once each, texts seen in an earlier chunk are looked up at once, deal ids in
increasing order are known unique from one pass: each test below builds an export that takes the shortcut and one
that cannot (or an oracle computed row by row) and asserts the same frame, notes and refusals."""

import numpy as np
import pandas as pd
import pytest

from coursekit.errors import CourseError
from coursekit.signals.crm import _dates, read_export

CHUNK = 1_000  # the reader's smallest chunk: several chunks from a few thousand rows


def export(tmp_path, rows: list[str], header: str = "deal_id,date,amount,rep,account", name: str = "export.csv"):
    p = tmp_path / name
    p.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return p


def many_rows(n: int = 3_500) -> list[str]:
    """Repeated dates (the shortcut), reps and accounts padded, blank and repeated across chunks, ids out of order."""
    rng = np.random.default_rng(26)
    out = []
    for i in range(n):
        day = pd.Timestamp("2027-01-01") + pd.Timedelta(days=int(rng.integers(0, 360)))
        acct = ["Acme", " Acme ", "", "Globex", f"New {i // 700}", "  "][int(rng.integers(0, 6))]
        rep = [" Ana", "Ben ", "Cy"][int(rng.integers(0, 3))]
        out.append(f"D{(i * 7919) % n:05d},{day.date()},{100 + i},{rep},{acct}")
    return out


def test_texts_take_codes_in_order_of_first_appearance_across_chunks(tmp_path):
    rows = many_rows()
    ex = read_export(export(tmp_path, rows), chunk_rows=CHUNK)
    cells = [r.split(",") for r in rows]
    for col, field in ((3, "rep"), (4, "account")):
        names = [c[col].strip() for c in cells]  # a blank cell and a cell of spaces are both the empty name
        assert list(ex.deals[field].cat.categories) == list(dict.fromkeys(names))
        assert [str(v) for v in ex.deals[field]] == names


def test_many_rows_of_few_dates_parse_as_each_row_does(tmp_path):
    rows = many_rows()
    ex = read_export(export(tmp_path, rows), chunk_rows=CHUNK)
    assert [str(d.date()) for d in ex.deals["date"]] == [r.split(",")[1] for r in rows]
    s = pd.Series([" 03/04/2027", "03/04/2027 ", "12/31/2027"] * 40, dtype=object)  # stripped, month first
    assert list(_dates(s, "f", False)) == [np.datetime64(d) for d in ("2027-03-04", "2027-03-04", "2027-12-31")] * 40
    s = pd.Series([" 03/04/2027", "03/04/2027 ", "12/11/2027"] * 40, dtype=object)  # day first
    assert list(_dates(s, "f", True)[:3]) == [np.datetime64(d) for d in ("2027-04-03", "2027-04-03", "2027-11-12")]


@pytest.mark.parametrize("bad, line", [("2027-13-01", 2_502), ("1850-01-01", 2_502), ("", 2_502)])
def test_a_bad_date_among_repeated_ones_is_refused_naming_its_own_row(tmp_path, bad, line):
    rows = many_rows()
    cells = rows[2_500].split(",")
    cells[1] = bad
    rows[2_500] = ",".join(cells)
    with pytest.raises(CourseError) as err:
        read_export(export(tmp_path, rows), chunk_rows=CHUNK)
    assert f":{line}:" in str(err.value) and "date" in str(err.value)


def test_ids_in_increasing_order_with_a_repeat_are_still_found(tmp_path):
    base = [f"D{i:05d},2027-02-{1 + i % 28:02d},{100 + i},Ana,Acme {i}" for i in range(3_000)]
    rows = list(base)
    rows[1_201] = rows[1_200]  # a repeated row, next to its twin as a sorted export has it
    line_items = base[:1_500] + [f"D01500,2027-03-01,{i},Ana,Acme 1500" for i in (10, 20)] + base[1_501:]
    ex = read_export(export(tmp_path, rows), chunk_rows=CHUNK)
    assert len(ex.deals) == 2_999 and ex.notes == ["removed 1 row repeating another row exactly"]
    ex = read_export(export(tmp_path, line_items, name="items.csv"), chunk_rows=CHUNK)
    assert ex.notes == ["summed 2 line-item rows into 1 deal by deal_id (a line-item report)"]
    assert int(ex.deals.loc[ex.deals["deal_id"] == "D01500", "cents"].iloc[0]) == 3_000
    shuffled = rows[::-1]  # the same rows in decreasing order: the shortcut does not apply, the result is the same
    back = read_export(export(tmp_path, shuffled, name="back.csv"), chunk_rows=CHUNK)
    assert sorted(back.deals["deal_id"]) == sorted(read_export(export(tmp_path, rows), chunk_rows=CHUNK).deals["deal_id"])
