"""Feedback, the foundation every exercise and form shares: the levels of a feedback line, counts said in
words, and the one junk detector with the other heuristics on free text.

The heuristics decide two things: is a text junk (so sure a failure that no reason can override), and does
it name something (a judgement a heuristic can get wrong, so the learner may override it with a reason).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

OK, WARN, INFO = "ok", "warn", "info"  # a feedback line's level: (level, text)
# A failure a heuristic on free text is not sure of: shown and saved as WARN, but when every failure is of this kind the
# learner may keep the answer with a reason (counted as written, not done). ``exercises.widget`` reads it.
UNSURE = "unsure"


def plural(n: Any, word: str) -> str:
    """"1 month", "4 months", "2.5 deals"."""
    return f"{n:g} {word}{'' if n == 1 else 's'}"


def count(n: int, word: str) -> str:
    """"1 note", "1,204 notes": a whole count with thousands separators."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+(?:[.,]\d+)*%?")

# Common English words and the course's own terms: a text of three or more words with none of them
# is keyboard noise ("asdf qwer zxcv"), not an answer.
COMMON = frozenset("""
a about above after all also an and any are as at be because been before being below between both but by can
cannot close closes closed count counts do does doing each either enough equal equally every for from get gets
give gives has have how if in into is it its just keep less long longer many more most much must need needs no
none not now of on one only or other our out over own per same says say see should since so some such than that
the their them then there these they this those through to too two under until up us very want wants was we were
what when where whether which while who why will with without won't would yet you your
account accounts accelerator accelerators adviser advisor assume assumes assumed attainment behavior behaviour bonus
bookings budget business cap capacity capped caps churn coach coaching commission commissions comp compensation
contract cost credit credited credits customer customers cycle cycles deal deals discount discounts discovery draw
enablement enterprise expand expansion fast forecast gate growth hire incentive logo logos margin market methodology
metric model month monthly months multi multiplier new pay paid pays payout period periods pipeline plan planning
platform point priority priorities product products quarter quarterly quota rate reps rep revenue reward rewards
rewarded sale sales segment sell selling share short smb spif spifs strategy strategic target teach teaches team
territory threshold tier tiers train trains training trusted upsell value win wins year yearly annual renewals
renewal mid large small big ignore ignores avoid avoids chase chases push pushes focus focuses same equal
""".split())

MEASURABLE = ("share", "%", "percent", "number", "count", "rate", "ratio", "days", "weeks", "months", "revenue",
              "bookings", "deals", "attainment", "win rate", "cycle", "discount", "pipeline", "acv", "arr", "value",
              "average", "median", "mix", "per ", "size", "length", "churn", "retention", "margin", "cost")


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD_RE.findall(str(text))]


def normal(text: str) -> str:
    """Lower case, punctuation and an "e.g." hint prefix dropped, spaces squeezed: for comparisons."""
    t = re.sub(r"^\s*(e\.?\s*g\.?|for example)[\s,:]*", "", str(text).strip().lower())
    return " ".join(re.sub(r"[^\w%]+", " ", t).split())


def _wordlike(w: str) -> bool:
    if w[0].isdigit():
        return True
    return bool(re.search(r"[aeiouy]", w)) and not re.search(r"[^aeiouy'’-]{5,}", w) and not re.search(r"(.)\1\1", w)


def _english_letters(ws: list[str]) -> bool:
    """Letters as English spreads them: about 40% vowels (random letters: about 20%) and few long consonant runs."""
    letters = "".join(w for w in ws if not w[0].isdigit()).translate(str.maketrans("", "", "'’-"))
    if not letters:
        return True
    vowels = sum(ch in "aeiou" for ch in letters) / len(letters)
    runs = sum(bool(re.search(r"[^aeiouy'’-]{4,}", w)) for w in ws)
    return vowels >= 0.3 and runs * 4 <= len(ws)


# Words that name nothing on their own: function words and the vague ones filler is made of ("we did it all", "reps to do
# things"). A sentence made only of these says nothing the course could read back; one content word is enough to pass.
FILLER = frozenset("""
a an the and or but so to of in on at for with by from as it its it's this that these those we i you they he she them us our
your their is are was were be been am do did does done doing have has had will would can could should may might must all
everything anything something nothing some any very really just also then there here now please yes no not ok okay
thing things stuff lot lots good better best well right fine great nice work works worked make makes made get gets got
reps rep people everyone someone way ways job jobs more most sure again want wants need needs like go going
""".split())
# Words that bind a sentence together: a run of six or more words with none of them is a keyword list, not a sentence.
_GLUE = frozenset("""
a an the to of in on at for with by from and or but so if when than that which who is are was be it its we they our their
each every per more less not no as will would can should do does after before over under into out up until while because
""".split())


def filler_reason(real: list[str], every: list[str] | None = None) -> str | None:
    """Why words that read as English still say nothing: all filler, a pasted keyword list, or a word said twice in a row.
    ``every``: all the words, one-letter ones included ("a" is glue: "pays monthly with a monthly cap" is a sentence)."""
    if all(w.strip("'’-") in FILLER for w in real if not w[0].isdigit()) and not any(w[0].isdigit() for w in real):
        return "it is filler: it names nothing specific (say what, who or how much, in your own words)"
    twice = next((a for a, b in zip(real, real[1:]) if a == b and len(a) > 2 and a not in _GLUE), None)
    if twice:
        return f"it reads as a list of keywords (“{twice} {twice}”), not a sentence: write what you mean as you would say it"
    again = [w for w in dict.fromkeys(real) if real.count(w) > 1 and len(w) > 2 and w not in _GLUE]
    if again and sum(w in _GLUE for w in (every if every is not None else real)) < 2:  # "cap month cap month enterprise": the same terms, nothing between them
        return f"it reads as a list of keywords (“{again[0]}” again and again), not a sentence: write what you mean as you would say it"
    return None


def copied_reason(text: str, asked: Iterable[str]) -> str | None:
    """Why ``text`` is the question (or the hint) pasted back: the same text, or a run of three or more of its words (a
    hint's pattern filled with the learner's own facts, "... by 15 November" for "... by 15 January", is theirs)."""
    t = normal(text)
    if not t:
        return None
    for q in asked:
        nq = normal(q)
        if nq and (t == nq or (len(t.split()) >= 3 and f" {t} " in f" {nq} ")):
            return "it copies the question or the hint in the box; answer it in your own words"
    return None


def junk_reason(text: Any, min_words: int = 3, field: str | None = None, examples: Iterable[str] = (),
                asked: Iterable[str] = ()) -> str | None:
    """Why ``text`` cannot be an answer, or None when it could be one: the one junk detector.

    Sentences (``field`` None) must have ``min_words`` real words, read as words rather than keyboard noise, not
    repeat themselves, not be filler or a keyword list (``filler_reason``) and not copy the question or a hint shown
    (``asked``). A named short field (``field``, e.g. "who decides") may be one word, but not empty, not one of
    its ``examples`` (the hint shown in its box) and not a word of fewer than three letters (a form refuses
    keyboard noise in its own words, row by row: ``capstone.checks``)."""
    t = " ".join(str(text or "").split())
    if field is not None:
        if not t:
            return f"{field} is empty"
        if t.lower() in {e.lower() for e in examples} or t.lower().startswith("e.g."):
            return f"{field} is the example text, not yours"
        # a person's name or a role of two letters or more is a name ("Ann", "Lee", "VP", "HR"); one letter, or one letter
        # repeated ("x", "zz"), names nobody
        named = re.findall(r"[A-Za-z][A-Za-z'-]+", t)
        if not named or len(set(re.sub(r"[^a-z]", "", t.lower()))) < 2:
            return f"{field} ({t!r}) says nothing: write it in words"
        if len(t.split()) < min_words:
            return f"{field} ({t!r}) is too short: write at least {min_words} words"
        return None
    ws = words(t)
    if not ws:
        return "it is empty"
    real = [w for w in ws if len(w) > 1 or w[0].isdigit()]
    if len(real) < min_words:
        return f"it is too short (write at least {min_words} words)"
    return _noise(real) or filler_reason(real, ws) or copied_reason(t, asked)


def _noise(real: list[str]) -> str | None:
    if sum(map(_wordlike, real)) < 0.7 * len(real) or not (any(w.strip("'’-") in COMMON for w in real) or _english_letters(real)):
        return "it reads as random letters, not sentences"
    if len(set(real)) < max(2, len(real) // 3):
        return "it repeats the same words"
    return None


def answer_problem(text: str, min_words: int = 3, hints: tuple[str, ...] = ()) -> str | None:
    """Why ``text`` is no answer: junk (see ``junk_reason``) or a copy of the hint shown in its box."""
    if any(h and same_text(text, h) for h in hints):
        return "it repeats the hint in the box; write your own"
    return junk_reason(text, min_words, asked=hints)


def same_text(a: str, b: str, ratio: float = 0.85) -> bool:
    """True when two texts are the same once case, punctuation and an "e.g." prefix are ignored (or nearly)."""
    na, nb = normal(a), normal(b)
    return bool(na and nb) and (na == nb or difflib.SequenceMatcher(None, na, nb).ratio() >= ratio)


def mentions(text: str, terms) -> list[str]:
    """The terms (word stems or phrases) that ``text`` mentions."""
    low = " " + " ".join(words(text)) + " "
    return [t for t in terms if re.search(r"(?<![a-z])" + re.escape(t.lower()), low)]


_DONE = frozenset("sent held won lost made given run done shown written begun met seen kept".split())


def measurable(text: str) -> bool:
    """True when a metric names something the CRM can count or measure: a number, a measure ("share", "rate", "days"),
    or things counted, such as an activity ("second-product proposals sent", "discovery calls held"): a leading
    indicator moves before bookings do, and the course teaches to read one."""
    low = str(text).lower()
    ws = words(low)
    counted = any(a.endswith("s") and not a.endswith(("ss", "us", "is")) and len(a) > 3 and a not in FILLER
                  and (b.endswith("ed") or b in _DONE) for a, b in zip(ws, ws[1:]))  # things, then what was done to them
    return bool(re.search(r"\d", low)) or any(m in low for m in MEASURABLE) or counted


def random_letters(text: Any) -> bool:
    """True when a sentence (a behavior, an ask) is keyboard noise ("fjdkslq wpeoriu zmxncb qpwoeir"): the forms' own
    checks only look for words of letters. Names (a priority's, a person's) are not judged: "Krzysztof" is no noise."""
    return "random letters" in (junk_reason(str(text or ""), 1) or "")


def refuse_noise(lines: list[tuple[str, str]], noisy: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``lines`` with each noisy box (line prefix, what it is) turned into a warning in place of that prefix's OK line;
    the closing advice (INFO) goes too when anything is left to fix."""
    if not noisy:
        return lines
    prefixes = tuple(p for p, _ in noisy)
    kept = [(lvl, t) for lvl, t in lines if not (lvl == OK and t.startswith(prefixes)) and lvl != INFO]
    return kept + [(WARN, f"{p} {what} reads as random letters, not words: write it as you would say it.") for p, what in noisy]


# --- what a sentence names: a behavior, an activity or an outcome (one structure for every form that asks for a behavior) ---
# The learner says what kind of thing they wrote (a pick, kept with the answer); the pick carries the verdict. An outcome is
# the named misconception: the module 2 priorities, and the hypotheses of modules 1, 3 and 5, refuse it with the same words.
BEHAVIOR, ACTIVITY, OUTCOME = "behavior", "activity", "outcome"
NAMES_KINDS = (("a behavior: what a rep does", BEHAVIOR),
               ("an activity a rep does, counted (proposals sent, pilots opened)", ACTIVITY),
               ("an outcome: a result the business wants (revenue, bookings, growth)", OUTCOME))
OUTCOME_MISCONCEPTION = ("an outcome says what the business wants, not what reps should do differently to get it: plans pay "
                         "on results such as bookings, but they steer which deals, products and motions reps choose; name "
                         "that behavior (or an activity the CRM can count), so the plan can make it pay best")
_OUTCOME_VERBS = r"grow|increase|improve|achieve|hit|reach|boost|maximi[sz]e|double|triple|raise|lift|deliver|make|beat|exceed|drive"
# "the number" is an outcome ("hit the number"); "the number of proposals sent" counts an activity, a behavior
_METRICS = (r"revenue|bookings|arr|acv|mrr|sales|growth|share|margin|profit|pipeline|quota|target|numbers?(?!\s+of\b)|"
            r"retention|nrr|grr|churn|attainment|win rate|results?")
_OUTCOME = re.compile(rf"^\s*(?:to\s+)?(?:{_OUTCOME_VERBS})\b(?:\s+\S+){{0,2}}?\s+(?:{_METRICS})\b", re.I)
# "enterprise revenue to grow 20%": the result first, then its verb
_OUTCOME_AFTER = re.compile(rf"^\s*(?:\S+\s+){{0,3}}?(?:{_METRICS})\s+(?:to\s+)?(?:{_OUTCOME_VERBS}|grows?|rises?|goes\s+up)\b", re.I)
_TARGET = re.compile(r"\d\s*%|\b\d+(?:[.,]\d+)?\s*(?:k|m|bn|million|percent)\b|[$€£]\s*\d", re.I)


def outcome_reason(behavior: str) -> str:
    """Why a behavior reads as an outcome ("" when it does not). A doubt from the wording, never a verdict on its own: the
    learner's pick of what it names (``names_lines``) carries the verdict, this only keeps such a row from counting as done."""
    if _OUTCOME.search(behavior) or _OUTCOME_AFTER.search(behavior):
        return f"{behavior!r} is an outcome (a number the business wants), not a behavior: write what a rep does on Tuesday"
    if _TARGET.search(behavior):
        return f"{behavior!r} names a target figure: write the behavior that gets there, what a rep does this quarter"
    return ""


def names_lines(pick: Any, behavior: str, prefix: str = "") -> list[tuple[str, str]]:
    """The check of what a behavior names: unpicked (WARN), an outcome (WARN: the named misconception), a behavior or an
    activity whose wording reads as an outcome (UNSURE: the course cannot be sure; kept with a reason it counts as written,
    not done), else nothing. ``prefix`` names the row ("Row 2: ")."""
    def said(t: str) -> str:
        return prefix + (t if prefix else t[:1].upper() + t[1:])
    if pick not in (BEHAVIOR, ACTIVITY, OUTCOME):
        return [(WARN, said("say what it names: a behavior of a rep, an activity you can count, or an outcome."))]
    if pick == OUTCOME:
        return [(WARN, said(f"not an outcome. The misconception behind that pick: {OUTCOME_MISCONCEPTION}."))]
    if why := outcome_reason(" ".join(str(behavior or "").split())):
        return [(UNSURE, said(f"you call it {'an' if pick == ACTIVITY else 'a'} {pick}, but {why}."))]
    return []


# Words that bind words into a sentence, beyond ``_GLUE``: an ask of four words or more with none of them is a keyword list
# ("strategy planning enablement comp", "cap rate credit cost"), where an ask as said has at least one ("Roll out the
# method", "Update capacity to 85% mean attainment", "Approve measuring the year and its cost").
_BIND = _GLUE | frozenset("""this these those its my your his her all any both one two three four five me him them you i
about across against along among around between down off onto than through toward towards upon within without via yes""".split())


# Verbs an ask starts with ("Approve platform credit multiplier change", "Fund enablement headcount next quarter"): an ask is
# said as an imperative, so one that starts with a verb is a sentence even without a binding word. Words that are also the
# course's nouns (cap, credit, plan, pay, measure, model, price, budget, quota, rate) are left out: "cap rate credit cost"
# stays a keyword list.
_ASK_VERBS = frozenset("""approve accept add adopt agree align allow announce ask assign audit bring build change check coach
commit confirm create cut decide define delay deliver design document drop end explain extend fix freeze fund get give grant
have hire hold include increase introduce keep launch let lower make map move name offer open own phase pilot prepare present
publish put raise rank rebuild reduce remove replace report require reset retire review revise rewrite roll run schedule send
set share shift shorten sign start stop switch take teach tell test track train transfer update use write""".split())


def keyword_list_reason(text: Any, min_words: int = 4) -> str | None:
    """Why ``text`` reads as a list of keywords rather than a sentence: ``min_words`` words or more, none binding them and
    not starting with a verb (a question, or a figure, has its own structure and is left alone). A sentence with one binding
    word, or an imperative ("Fund enablement headcount next quarter"), passes."""
    t = " ".join(str(text or "").split())
    ws = words(t)
    if len(ws) < min_words or t.endswith("?") or any(w[0].isdigit() for w in ws) or any(w in _BIND for w in ws) \
            or ws[0] in _ASK_VERBS:
        return None
    return (f"it reads as a list of keywords (“{' '.join(ws[:4])}”), not a sentence: write what you ask as you would say it "
            "(“Approve the annual cap and its cost”)")


def pasted_reason(text: Any, asked: Iterable[str], run: int = 4) -> str | None:
    """Why ``text`` is the form's own words pasted back, pieced together ("Write each priority as a behavior a rep does this
    quarter": the title and the box's tooltip): ``copied_reason``'s cases, or a run of words copied from one question or
    hint that makes half the answer or more (and at least ``run`` words), with nearly every other word from them too (four
    in five). An answer of the learner's own facts that reuses a phrase of a hint ("measure the cycle from the CRM before
    the plan is written") keeps its own words and passes."""
    asked = [a for a in asked if a]
    if bad := copied_reason(str(text or ""), asked):
        return bad
    ws = normal(text).split()
    pool = [normal(a).split() for a in asked]
    known = {w for p in pool for w in p}
    need = max(run, (len(ws) + 1) // 2)
    runs = {tuple(p[i:i + need]) for p in pool for i in range(len(p) - need + 1)}
    if len(ws) >= need and any(tuple(ws[i:i + need]) in runs for i in range(len(ws) - need + 1)) \
            and sum(w in known for w in ws) * 5 >= len(ws) * 4:
        return "it copies the question or the hint in the box; answer it in your own words"
    return None
