"""``tradesim news``: trade measures, events and a draft scenario from a news article.

Errors from :mod:`tradesim.errors` are printed as one line with exit status 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table
from rich.text import Text

from tradesim.cli.output import err_console, fail, stdout_console
from tradesim.errors import TradesimError

console = stdout_console(200)

#: Held-out targets of issue 19, printed beside the scores.
TARGETS = {"detection F1": 0.9, "ISO3 exact": 0.9, "HS chapter": 0.8, "rate": 0.95, "false positives": 0.05}


def _highlight(sentence, spans) -> Text:
    """The sentence with the evidence of each field in bold."""
    text = Text(sentence.text)
    for ev in spans:
        a, b = ev.start - sentence.start, ev.end - sentence.start
        if 0 <= a < b <= len(sentence.text):
            text.stylize("bold yellow", a, b)
    return text


def measures_table(x) -> Table:
    t = Table(title="Trade measures", show_lines=True)
    for col in ("#", "instrument (MAST)", "implementer", "affected", "products (HS)", "rate", "status",
                "dates", "evidence"):
        t.add_column(col, overflow="fold")
    for i, m in enumerate(x.measures, 1):
        prods = "; ".join(f"{p.text} ({' '.join(p.hs)}{'' if p.stated else ', inferred'})" for p in m.products)
        rate = "" if m.rate is None else ((f"{m.rate.prior * 100:g}% -> " if m.rate.prior is not None else "")
                                          + f"{m.rate.new * 100:g}% ({m.rate.unit})")
        dates = ", ".join(f"{k} {d.value or '?'} ({d.granularity})" for k, d in
                          (("announced", m.announced), ("in force", m.in_force), ("removed", m.removed)) if d)
        status = f"{m.status}, {m.modality}, {m.direction}" + (f"; motive: {m.motive}" if m.motive else "")
        evidence = _highlight(m.sentence, m.evidence.values()) if m.sentence else Text("")
        t.add_row(str(i), f"{m.instrument}\n[dim]{m.mast_chapter}[/]", m.implementer or "?",
                  ", ".join(m.affected) or "all", prods, rate, status, dates, evidence)
    return t


def events_table(x) -> Table:
    t = Table(title="Events (not measures)")
    for col in ("kind", "actor", "target", "products", "date", "evidence"):
        t.add_column(col, overflow="fold")
    for e in x.events:
        prods = "; ".join(f"{p.text} (HS {' '.join(p.hs)})" for p in e.products)
        date = f"{e.date.value or '?'} ({e.date.granularity})" if e.date else ""
        t.add_row(f"{e.kind} ({e.subtype})", e.actor or "?", e.target or "?", prods, date, e.summary)
    return t


def evaluation_table(scores) -> Table:
    t = Table(title="Extractor on the evaluation passages")
    t.add_column("metric")
    for split, s in scores.items():
        t.add_column(f"{split} ({s.passages} passages)", justify="right")
    t.add_column("held-out target", justify="right")

    def row(name, fn, target=None, op=">="):
        t.add_row(name, *[fn(s) for s in scores.values()], "" if target is None else f"{op} {target}")

    row("gold / predicted / matched measures", lambda s: f"{s.gold} / {s.predicted} / {s.matched}")
    row("measure detection precision", lambda s: f"{s.detection[0]:.3f}")
    row("measure detection recall", lambda s: f"{s.detection[1]:.3f}")
    row("measure detection F1", lambda s: f"{s.detection[2]:.3f}", TARGETS["detection F1"])
    row("implementer + affected ISO3 exact", lambda s: f"{s.rate('iso3_exact'):.3f}", TARGETS["ISO3 exact"])
    row("HS chapter accuracy", lambda s: f"{s.rate('hs'):.3f} ({s.hs_correct}/{s.hs_scored})", TARGETS["HS chapter"])
    row("rate within 0.1 point", lambda s: f"{s.rate('rate'):.3f} ({s.rate_correct}/{s.rate_scored})", TARGETS["rate"])
    row("negatives with a false positive",
        lambda s: f"{s.false_positive_share:.3f} ({s.negatives_with_fp}/{s.negatives})",
        TARGETS["false positives"], "<=")
    row("instrument accuracy", lambda s: f"{s.rate('instrument'):.3f}")
    row("status accuracy", lambda s: f"{s.rate('status'):.3f}")
    row("direction accuracy", lambda s: f"{s.rate('direction'):.3f}")
    row("events (kind, actor) P / R / F1", lambda s: " / ".join(f"{v:.2f}" for v in s.events))
    return t


def news(
    file: Optional[Path] = typer.Argument(None, help="Article text or HTML file; '-' or nothing reads stdin."),
    published: Optional[str] = typer.Option(None, "--published", help="Publication date YYYY-MM-DD: relative dates "
                                                                      "('earlier this month') resolve against it."),
    as_json: bool = typer.Option(False, "--json", help="Print the extraction as JSON."),
    scenario: Optional[Path] = typer.Option(None, "--scenario", help="Write a draft scenario (TOML) here."),
    evaluate: bool = typer.Option(False, "--evaluate", help="Score the extractor on the shipped evaluation passages "
                                                            "(the original 49 and the wire development part)."),
    heldout: bool = typer.Option(False, "--heldout", help="With --evaluate, also score the first wire held-out part "
                                                          "(spent: development material since issue 19 part 3)."),
    heldout2: bool = typer.Option(False, "--heldout2", help="With --evaluate, also score the second wire held-out "
                                                            "part (spent: development material since part 3)."),
    heldout3: bool = typer.Option(False, "--heldout3", help="With --evaluate, also score the third frozen wire "
                                                            "held-out set (after checking its SHA-256)."),
) -> None:
    """Trade measures, events and stated figures of a news article, every field with its evidence."""
    try:
        if evaluate:
            from tradesim.news.evaluate import evaluate_sets

            console.print(evaluation_table(evaluate_sets(heldout=heldout, heldout2=heldout2, heldout3=heldout3)))
            return
        from tradesim.news import draft_scenario, extract

        if file is None or str(file) == "-":
            data = sys.stdin.buffer.read()
        else:
            try:
                data = file.read_bytes()
            except OSError as err:
                fail(TradesimError(f"cannot read {file}: {err.strerror}"))
        x = extract(data, published=published)
        if scenario is not None:
            scenario.write_text(draft_scenario(x), encoding="utf-8")
        if as_json:
            print(json.dumps(x.to_dict(), indent=2, ensure_ascii=False))
        else:
            for w in x.warnings:
                err_console.print(f"[yellow]warning:[/] {w}", highlight=False)
            if x.measures:
                console.print(measures_table(x))
            elif any("English" in w for w in x.warnings):
                console.print("No trade measures found: the text does not look like English, and the extractor "
                              "reads English news only.")
            elif not x.text.strip():
                console.print("No trade measures found: the article is empty.")
            else:
                console.print("No trade measures found in this text.")
            if x.events:
                console.print(events_table(x))
            for f in x.figures:
                console.print(f"Stated figure: {f.what} of {f.partner or '?'} with {f.subject or '?'}: {f.value:.0%} "
                              f"(\"{f.evidence.text}\")", highlight=False)
        if scenario is not None:
            from tradesim.news.draft import count_placeholders

            draft = scenario.read_text(encoding="utf-8")
            n = draft.count("[[measures]]")
            if n:
                k = count_placeholders(draft)
                err_console.print(f"draft scenario written to {scenario}: {n} measure{'s' * (n != 1)}, {k} "
                                  f"placeholder{'s' * (k != 1)} to fill in", highlight=False)
            else:
                err_console.print(f"draft scenario written to {scenario}: it holds no measure to run", highlight=False)
    except TradesimError as err:
        fail(err)
