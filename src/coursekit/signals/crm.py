"""Reading a CRM export of closed deals: column maps, currency symbols, locales, bounded memory.

A row becomes ``date`` (close date), ``cents`` (integer cents), ``rep`` and, when the export has them,
``account``, ``segment``, ``product`` and ``discount`` (a fraction of list). The file is read in chunks
of ``CHUNK_ROWS`` rows into compact columns, so memory grows with the compact frame, not the text.
A file above ``MAX_EXPORT_BYTES`` is refused on its size before any parsing. Every bad cell is a
``CourseError`` naming the file, the spreadsheet row (the header is row 1), the field and the fix.
Nothing in a cell is evaluated: a cell such as ``=cmd|' /C calc'!A0`` is text (or a bad amount).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from coursekit.errors import CourseError
from coursekit.io import read_text

if TYPE_CHECKING:
    import pandas as pd

MAX_EXPORT_BYTES = 200_000_000
CHUNK_ROWS = 250_000
REQUIRED = ("date", "amount", "rep")
OPTIONAL = ("deal_id", "account", "product", "segment", "discount", "created", "currency")
FIELDS = REQUIRED + OPTIONAL
TEXT = ("rep", "account", "product", "segment", "deal_id")
YEARS = (1900, 2200)  # close dates outside these years are typing errors, not deals
MAX_AMOUNT = 10**12

# Ready maps for report exports: our field -> the export's column header (matched ignoring case and spaces).
MAPS: dict[str, dict[str, str]] = {
    "salesforce": {"date": "Close Date", "amount": "Amount", "rep": "Opportunity Owner", "deal_id": "Opportunity ID",
                   "account": "Account Name", "product": "Product Name", "segment": "Type", "discount": "Discount",
                   "created": "Created Date", "currency": "Opportunity Currency"},
    "hubspot": {"date": "Close Date", "amount": "Amount", "rep": "Deal owner", "deal_id": "Record ID",
                "account": "Associated Company", "product": "Product", "segment": "Deal Type", "discount": "Discount",
                "created": "Create Date", "currency": "Currency"},
}

SYMBOLS = "$€£¥₹₩"
_MONEY = re.compile(r"^\s*([A-Za-z]{3}|[" + SYMBOLS + r"])?\s*([-+]?[\d.,' \u00a0\u202f]*\d)\s*([A-Za-z]{3}|[" + SYMBOLS + r"])?\s*$")


@dataclass
class Export:
    """A read export: one row per deal, plus what was learned while reading it."""

    deals: pd.DataFrame  # date (datetime64), cents (int64), rep (category), optional account/segment/product/discount
    file: str
    currency: str | None  # the one currency code or symbol the amounts carried, if any
    rows: int


def parse_columns(spec: str, file: str = "--columns") -> dict[str, str]:
    """``"date=Close Date,amount=Amount"`` -> {"date": "Close Date", "amount": "Amount"}."""
    out: dict[str, str] = {}
    for part in [p for p in spec.split(",") if p.strip()]:
        key, sep, header = part.partition("=")
        key = key.strip().lower()
        if not sep or not header.strip():
            raise CourseError.at(file, "--columns", f"{part.strip()!r} is not FIELD=Header", 'write e.g. "date=Close Date,amount=Amount"')
        if key not in FIELDS:
            raise CourseError.at(file, "--columns", f"unknown field {key!r}", "map one of: " + ", ".join(FIELDS))
        out[key] = header.strip()
    return out


def _norm(h: str) -> str:
    return " ".join(str(h).split()).lower()


def resolve_columns(headers: list[str], file: str, source: str | None = None, columns: dict[str, str] | None = None) -> dict[str, str]:
    """Our field -> the export's header, from our own names, the ready map and the user's map (in that order)."""
    if source is not None and source not in MAPS:
        raise CourseError.at(file, "--from", f"{source!r} is not a known export", "use " + " or ".join(MAPS))
    by_norm = {_norm(h): h for h in headers}
    found: dict[str, str] = {}
    for f in FIELDS:
        # the user's map first, then the ready map, then our own name
        names = [n for n in ((columns or {}).get(f), MAPS.get(source or "", {}).get(f), f) if n]
        hit = next((by_norm[_norm(n)] for n in names if _norm(n) in by_norm), None)
        if hit is not None:
            found[f] = hit
        elif f in REQUIRED:
            shown = ", ".join(repr(h) for h in headers[:8]) + (" ..." if len(headers) > 8 else "")
            raise CourseError.at(file, f, f"no column {names[0]!r} (the header has {shown})",
                                 f'map it: --columns "{f}=Your Header", or --from salesforce|hubspot')
    return found


def read_export(path: str | Path, *, source: str | None = None, columns: dict[str, str] | None = None, dayfirst: bool = False,
                decimal_comma: bool = False, currency: str | None = None, limit: int = MAX_EXPORT_BYTES,
                chunk_rows: int = CHUNK_ROWS, fields: tuple[str, ...] = ("account", "segment", "product", "discount")) -> Export:
    """Read a CRM export of closed deals (see the module docstring).

    ``currency``: the plan's code, to refuse amounts in others; ``fields``: the optional columns to read when present.
    """
    import pandas as pd

    p = Path(path)
    file = str(p)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise CourseError.at(p, "export", f"cannot read: {exc.strerror or exc}", "check the path") from None
    if not p.is_file():
        raise CourseError.at(p, "export", "is not a file", "give the path of a CSV file")
    if size > limit:
        raise CourseError.at(p, "export", f"file is {size:,} bytes, more than the {limit:,} allowed",
                             "export fewer rows (e.g. one plan year) or split the file")
    with p.open("rb") as fh:
        head = fh.read(65536)
    if b"\x00" in head:
        raise CourseError.at(p, "export", "is a binary file, not CSV text", "export the report as CSV (UTF-8)")
    first = head.split(b"\n")[0]
    sep = ";" if b";" in first and b"," not in first else ","
    try:
        headers = list(pd.read_csv(p, nrows=0, encoding="utf-8-sig", sep=sep).columns)
    except pd.errors.EmptyDataError:
        raise CourseError.at(p, "export", "is empty", "export the report with its header row") from None
    except (UnicodeDecodeError, pd.errors.ParserError, ValueError) as exc:
        raise CourseError.at(p, "export", f"is not a readable CSV ({_first_line(exc)})", "export the report as CSV (UTF-8)") from None
    cols = resolve_columns(headers, file, source, columns)
    use = {h: f for f, h in cols.items() if f in fields or f in REQUIRED or f == "currency"}
    dtypes = {h: object for h, f in use.items() if f in TEXT or f in ("date", "currency")}
    if decimal_comma:
        dtypes.update({h: object for h, f in use.items() if f in ("amount", "discount")})
    parts: list[pd.DataFrame] = []
    vocab = {f: _Vocab() for f in TEXT}
    seen: set[str] = set()
    start = 0
    try:
        # every column is read (not `usecols`), so a row with more cells than the header is an error, not a silent shift
        reader = pd.read_csv(p, dtype=dtypes, chunksize=chunk_rows, encoding="utf-8-sig", sep=sep,
                             keep_default_na=False, na_values=[""], on_bad_lines="error", index_col=False)
        while True:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("error", pd.errors.ParserWarning)
                    chunk = next(reader)
            except StopIteration:
                break
            if len(chunk):
                chunk = chunk[list(use)].rename(columns=use)
                parts.append(_compact(chunk, file, start, dayfirst, decimal_comma, seen, currency, vocab))
                start += len(chunk)
    except UnicodeDecodeError as exc:
        raise CourseError.at(p, "export", f"is not UTF-8 text (byte {exc.start})", "export the report as CSV (UTF-8)") from None
    except (pd.errors.ParserError, pd.errors.ParserWarning) as exc:
        raise CourseError.at(p, "export", f"is not a well-formed CSV ({_first_line(exc)})",
                             "check quoting; every row needs as many fields as the header") from None
    if not parts or start == 0:
        raise CourseError.at(p, "export", "has a header but no deals", "export the report with its rows")
    deals = pd.concat(parts, ignore_index=True)
    for f in TEXT:
        if f in deals:
            deals[f] = vocab[f].categorical(deals[f].to_numpy())
    return Export(deals, file, next(iter(seen)) if seen else None, start)


def _first_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:160]


def _bad(file: str, row: int, field: str, value: object, problem: str, fix: str) -> CourseError:
    shown = repr(str(value)[:40])
    return CourseError.at(file, field, f"{shown} {problem}", fix, line=row + 2)


def _compact(chunk: pd.DataFrame, file: str, start: int, dayfirst: bool, decimal_comma: bool, seen: set[str],
             currency: str | None, vocab: dict[str, _Vocab]) -> pd.DataFrame:
    """One chunk of raw rows -> compact typed columns, or a CourseError on its first bad cell."""
    import pandas as pd

    out = pd.DataFrame(index=chunk.index)
    out["date"] = _dates(chunk["date"], file, start, dayfirst)
    out["cents"] = _cents(chunk["amount"], file, start, decimal_comma, seen, currency)
    rep = vocab["rep"].encode(chunk["rep"])
    empty = (rep < 0) | (rep == vocab["rep"].codes.get("", -2))
    if empty.any():
        i = int(np.argmax(empty))
        raise CourseError.at(file, "rep", "is empty", "name the deal's owner in every row", line=start + i + 2)
    out["rep"] = rep
    for f in ("account", "product", "segment"):
        if f in chunk:
            out[f] = vocab[f].encode(chunk[f].fillna(""))
    if "currency" in chunk:
        cur = _text(chunk["currency"].fillna(""))
        for k, code in enumerate(cur.categories):
            if code:
                _one_currency(file, start + int(np.argmax(cur.codes == k)), str(code).upper(), seen, currency)
    if "discount" in chunk:
        out["discount"] = _discounts(chunk["discount"], file, start, decimal_comma)
    return out


class _Vocab:
    """Stripped text -> a code shared by every chunk, so chunks concatenate as plain integer codes."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}

    def encode(self, s: pd.Series) -> np.ndarray:
        import pandas as pd

        raw, uniques = pd.factorize(s.astype(object), sort=False)
        table = np.array([self.codes.setdefault(str(u).strip(), len(self.codes)) for u in uniques] + [-1], dtype=np.int64)
        return table[raw]  # a missing cell (-1) takes the appended -1

    def categorical(self, codes: np.ndarray) -> pd.Categorical:
        import pandas as pd

        return pd.Categorical.from_codes(codes, categories=pd.Index(list(self.codes), dtype=object))


def _text(s: pd.Series) -> pd.Categorical:
    v = _Vocab()
    return v.categorical(v.encode(s))


def _dates(s: pd.Series, file: str, start: int, dayfirst: bool) -> np.ndarray:
    import pandas as pd

    sample = s.dropna()
    if sample.empty:
        raise CourseError.at(file, "date", "is empty in every row", "export the close date", line=start + 2)
    first = str(sample.iloc[0]).strip()
    if first != str(sample.iloc[0]) or str(sample.iloc[-1]) != str(sample.iloc[-1]).strip():
        s = s.astype(object).str.strip()
    if re.match(r"^\d{4}-\d{1,2}-\d{1,2}", first):
        if len(first) > 10:  # a time (and perhaps a zone) after the date: the close date is the date as written
            s = s.astype(object).str.split(r"[T ]", n=1, regex=True).str[0]
        d = pd.to_datetime(s, format="ISO8601", errors="coerce")
    else:
        day = s.astype(object).str.strip().str.split(" ", n=1).str[0].str.replace(r"[.\-]", "/", regex=True)
        two = bool(re.match(r"^\d{1,2}/\d{1,2}/\d{2}$", str(day.dropna().iloc[0])))
        fmt = ("%d/%m/" if dayfirst else "%m/%d/") + ("%y" if two else "%Y")
        d = pd.to_datetime(day, format=fmt, errors="coerce")
    d = d.dt.tz_localize(None) if getattr(d.dt, "tz", None) is not None else d
    years = d.dt.year
    bad = (d.isna() | (years < YEARS[0]) | (years > YEARS[1])).to_numpy()
    if bad.any():
        i = int(np.argmax(bad))
        hint = "write YYYY-MM-DD" + ("" if dayfirst else ", or pass --dayfirst for day/month/year")
        raise _bad(file, start + i, "date", s.iloc[i], f"is not a close date between {YEARS[0]} and {YEARS[1]}", hint)
    return d.to_numpy().astype("datetime64[D]")


def _one_currency(file: str, row: int, code: str, seen: set[str], plan_currency: str | None) -> None:
    if len(code) == 3 and plan_currency and code.upper() != plan_currency.upper():
        raise _bad(file, row, "amount", code, f"is not the plan's currency {plan_currency}", "convert amounts to the plan's currency first")
    seen.add(code.upper() if len(code) == 3 else code)
    if len(seen) > 1:
        raise _bad(file, row, "amount", code, f"mixes currencies ({', '.join(sorted(seen))})",
                   "convert every amount to one currency before the export")


def _cents(s: pd.Series, file: str, start: int, decimal_comma: bool, seen: set[str], currency: str | None) -> np.ndarray:
    """Amounts -> integer cents, half-up. Plain numbers take the fast path; the rest are cleaned of symbols and separators."""
    import pandas as pd

    if s.dtype.kind in "if" and not decimal_comma:
        x = np.array(s, dtype=float)
        text = None
    else:
        text = s.astype(object).str.strip()
        x = np.full(len(s), np.nan)
        if not decimal_comma:
            x = np.array(pd.to_numeric(text, errors="coerce"), dtype=float)
        todo = np.isnan(x) & text.notna().to_numpy()
        if todo.any():
            x[todo] = _clean_money(text[todo], file, start, decimal_comma, seen, currency, s.index)
    missing = np.isnan(x)
    if missing.any():
        i = int(np.argmax(missing))
        raise _bad(file, start + i, "amount", "" if text is None else text.iloc[i], "is not an amount", "write the deal's amount, e.g. 12500.00")
    badsize = (x < 0) | (np.abs(x) > MAX_AMOUNT)
    if badsize.any():
        i = int(np.argmax(badsize))
        what = "is negative" if x[i] < 0 else "is out of range"
        raise _bad(file, start + i, "amount", s.iloc[i], what, "export closed-won deals only, with their amounts")
    c = np.round(x * 100)
    odd = np.abs(x * 100 - c) > 1e-6  # more than two decimals: round those half-up from their text
    if odd.any():
        raw = text if text is not None else s.astype(str)
        for i in np.nonzero(odd)[0]:
            c[i] = _half_up(str(raw.iloc[i]), decimal_comma, x[i])
    return c.astype(np.int64)


def _half_up(raw: str, decimal_comma: bool, value: float) -> int:
    m = _MONEY.match(raw)
    digits = m.group(2) if m else raw
    digits = re.sub(r"[ '\u00a0\u202f]", "", digits)
    digits = digits.replace(".", "").replace(",", ".") if decimal_comma else digits.replace(",", "")
    try:
        return int((Decimal(digits) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except InvalidOperation:
        return int(Decimal(repr(value)) * 100)


def _clean_money(text: pd.Series, file: str, start: int, decimal_comma: bool, seen: set[str], currency: str | None,
                 index: pd.Index) -> np.ndarray:
    import pandas as pd

    parts = text.str.extract(_MONEY)
    nomatch = parts[1].isna().to_numpy()
    if nomatch.any():
        i = int(np.argmax(nomatch))
        row = index.get_loc(text.index[i])
        raise _bad(file, start + row, "amount", text.iloc[i], "is not an amount",
                   "write a number, with at most a currency symbol or code and thousands separators")
    for col in (0, 2):
        for code in parts[col].dropna().unique():
            i = int(np.argmax((parts[col] == code).to_numpy()))
            _one_currency(file, start + index.get_loc(text.index[i]), str(code), seen, currency)
    digits = parts[1].str.replace(r"[ '\u00a0\u202f]", "", regex=True)
    if decimal_comma:
        digits = digits.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        digits = digits.str.replace(",", "", regex=False)
    x = pd.to_numeric(digits, errors="coerce").to_numpy(dtype=float)
    if np.isnan(x).any():
        i = int(np.argmax(np.isnan(x)))
        raise _bad(file, start + index.get_loc(text.index[i]), "amount", text.iloc[i], "is not an amount",
                   "use one decimal mark (pass --decimal-comma for 1.234,56)")
    return x


def _discounts(s: pd.Series, file: str, start: int, decimal_comma: bool) -> np.ndarray:
    import pandas as pd

    if s.dtype.kind in "if":
        x = s.to_numpy(dtype=float)
    else:
        t = s.astype(object).str.strip()
        pct = t.str.endswith("%").fillna(False).to_numpy()
        t = t.str.rstrip("%").str.strip()
        if decimal_comma:
            t = t.str.replace(",", ".", regex=False)
        x = pd.to_numeric(t, errors="coerce").to_numpy(dtype=float)
        bad = np.isnan(x) & t.notna().to_numpy() & (t != "").fillna(False).to_numpy()
        if bad.any():
            i = int(np.argmax(bad))
            raise _bad(file, start + i, "discount", s.iloc[i], "is not a discount", "write a fraction of list, e.g. 0.15, or 15%")
        x = np.where(pct, x / 100, x)
    out = (x < 0) | (x > 1)
    if out.any():
        i = int(np.argmax(out))
        raise _bad(file, start + i, "discount", s.iloc[i], "is outside 0 to 1", "write a fraction of list price, e.g. 0.15 (or 15%)")
    return x


def read_quotas(path: str | Path, decimal_comma: bool = False) -> dict[str, float]:
    """A ``rep,quota`` CSV (annual quotas) -> {rep: quota}."""
    file = str(path)
    with_header = read_export_small(path, "quotas")
    if not {"rep", "quota"} <= set(with_header.columns):
        raise CourseError.at(file, "quotas", "needs columns rep and quota", "write a header line `rep,quota`")
    cents = _cents(with_header["quota"], file, 0, decimal_comma, set(), None)
    out: dict[str, float] = {}
    for i, (rep, c) in enumerate(zip(with_header["rep"].astype(str).str.strip(), cents)):
        if not rep or c <= 0:
            raise CourseError.at(file, "quota" if rep else "rep", "is empty or not above 0", "give every rep a positive annual quota",
                                 line=i + 2)
        out[rep] = c / 100
    return out


def read_export_small(path: str | Path, field: str, limit: int = 5_000_000) -> pd.DataFrame:
    import io

    import pandas as pd

    text = read_text(path, field, limit)
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise CourseError.at(path, field, f"is not a readable CSV ({_first_line(exc)})", "write a header line and one row per rep") from None
