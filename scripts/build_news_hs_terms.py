"""Build the compact product lexicon of the news extractor from the HS 2022 nomenclature.

Reads ``../shared/data/hs/harmonized-system.csv`` (datasets/harmonized-system, ODC-PDDL: HS 2022
codes with their descriptions) and writes ``src/tradesim/news/data/hs_terms.tsv``: one line per
product term (the lemmas of its words, lower case, from ``lemminflect``) with the HS codes it
names. Terms come from the head of each description (the part before the first ``;``) of the
chapters (2 digits) and headings (4 digits), and from the first two parts of the subheadings
(6 digits, assigned to their heading; multi-word terms only), split at commas and ``and``/``or``;
a modifier of the first item is shared by bare items that follow ("cobalt oxides and hydroxides" ->
cobalt oxide, cobalt hydroxide). A term naming more than three headings of one chapter names the chapter; one
spread over more than four headings of several chapters is dropped as too vague; generic heads
("parts", "articles", "other") are never terms on their own. A term that names codes of several chapters keeps
the chapter(s) whose heading or title *names* it as the good (the items before the first "of": "meat" is
chapter 02 "Meat and edible meat offal", not 16 "Preparations of meat"). A material that a heading names
("of iron or steel", "Aluminium foil") is combined with the heading's goods ("steel pipe" -> 7304 7305 7306). The
single-word good that opens a subheading's second segment ("Nuts, edible; pistachios, in shell") is a term when
no heading names it already and English uses it only as a noun (lemminflect); a term that names a good in its own
chapter and in a chapter of preparations (16, 19, 20, 21) keeps its own ("octopus" 03).

Usage: ``python scripts/build_news_hs_terms.py [HS_CSV] [OUT_TSV]``
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CSV = ROOT.parent / "shared" / "data" / "hs" / "harmonized-system.csv"
DEFAULT_OUT = ROOT / "src" / "tradesim" / "news" / "data" / "hs_terms.tsv"

#: Heads too generic to name a product on their own.
GENERIC = {"other", "others", "part", "parts", "article", "articles", "good", "goods", "product", "products",
           "accessory", "accessories", "waste", "scrap", "mixture", "mixtures", "preparation", "apparatus",
           "machine", "machinery", "equipment", "appliance", "instrument", "material", "materials", "kind",
           "substance", "form", "type", "residue", "piece", "thereof", "base", "similar", "item", "unit", "set",
           "combination", "device", "fitting", "container", "line", "work", "use", "derivative", "compound",
           "salt", "ore", "concentrate", "product", "oil", "fat", "plate", "sheet", "strip", "tube", "bar", "rod",
           "wire", "powder", "flake", "fabric", "yarn", "fibre", "tool", "vehicle", "paper", "fruit", "flour",
           "meal", "seed", "leaf", "live", "fresh", "frozen", "dried", "edible", "whether", "not", "nes", "n.e.c"}
STOPWORDS = {"the", "a", "an", "of", "for", "with", "in", "on", "to", "by", "its", "their", "certain", "whether",
             "not", "or", "and", "other", "than", "being", "such", "as", "including", "excluding", "n.e.c", "nes"}


#: Materials a heading may be made of: "steel pipe", "aluminium foil", "copper wire".
MATERIALS = {"iron", "steel", "aluminium", "copper", "nickel", "zinc", "tin", "lead", "titanium", "tungsten",
             "magnesium", "cobalt", "glass", "wood", "plastic", "rubber", "cotton", "wool", "silk", "paper",
             "leather", "cement", "ceramic", "stainless"}


#: Chapters of prepared foods: a word naming a good there and in its own chapter names the good ("octopus" 03).
PREPARED = {"16", "19", "20", "21"}
#: Heads too vague even with a material ("steel articles").
VAGUE = {"other", "part", "article", "product", "good", "thereof", "kind", "similar", "whether", "not", "nes",
         "seamless", "alloy", "unwrought", "waste", "scrap", "powder", "base", "form", "primary", "semi-finished"}


#: Words that open a subheading's second segment as a qualifier, not a good.
QUALIFIERS = {"live", "fresh", "chilled", "frozen", "dried", "whole", "cut", "parts", "containing", "weighing",
              "exceeding", "having", "with", "without", "new", "used", "unused", "raw", "crude", "refined", "pure",
              "mixed", "single", "multiple", "thereof", "excluding", "including", "less", "more", "over", "under",
              "bulk", "packing", "width", "length", "thickness", "weight", "value", "grade", "quality", "type",
              "kind", "shape", "size", "colour", "color", "nes", "nesoi", "n.e.c", "others", "all", "total", "cotton",
              "wool", "silk", "synthetic", "artificial", "knitted", "woven", "printed", "unbleached", "bleached",
              "dyed", "plain", "alloy", "non-alloy", "stainless", "electric", "electrical", "mechanical", "manual",
              "automatic", "portable", "industrial", "domestic", "household", "medical", "surgical", "agricultural",
              "military", "civil", "men", "women", "boys", "girls", "babies", "infants", "adults", "children",
              # nouns news uses for other things than goods ("the minister's office", "Vice Premier")
              "office", "movement", "memory", "processor", "receiver", "transmission", "distributor", "plateau",
              "lawn", "hair", "liver", "imitation", "vice", "sword", "tray", "fountain", "matte", "sett", "placebo",
              "dictionary", "culture", "filament", "transporter", "stamp-postmark", "aerial", "unmount", "unground",
              "plasticise", "non-plasticise", "halogenate", "cationic", "non-ionic", "calcareou", "aluminou",
              "bituminou", "phosphatic", "potassic", "cyclanic", "acyclic", "colloidal", "anhydrous", "portland",
              "surface-active", "non-electric", "non-electronic", "non-refractory", "non-coniferous", "polyhydric"}


def lemma(word: str) -> str:
    """The noun lemma of one lower-case word (``lemminflect``), the word itself when it has none."""
    from lemminflect import getLemma

    found = getLemma(word, upos="NOUN")
    return found[0] if found else word


def terms_of(segment: str) -> list[str]:
    """Product terms (lemmatised, lower case) of one description segment."""
    segment = re.sub(r"\([^)]*\)", " ", segment.lower())
    segment = re.sub(r"\b(of a kind|of heading|of subheading|heading no\.?|whether or not)\b.*", " ", segment)
    items = [i.strip() for i in re.split(r",|\band\b|\bor\b|&", segment) if i.strip()]
    out: list[str] = []
    modifier: list[str] = []
    for k, item in enumerate(items):
        words = [w for w in re.findall(r"[a-z][a-z'-]*", item) if w not in STOPWORDS]
        if not words or len(words) > 4:
            modifier = []
            continue
        words = [lemma(w) for w in words]
        if k == 0 and len(words) > 1:
            modifier = words[:-1]
        elif len(words) == 1 and modifier:
            out.append(" ".join(modifier + words))
        if len(words) == 1 and words[0] in GENERIC:
            continue
        out.append(" ".join(words))
    return out


def heads_of(desc: str) -> set[str]:
    """The goods a description names (lemmatised): its first segment's items up to the first one that opens with
    "of", each cut before "of" ("Meat of swine; fresh" -> meat; "Preparations of meat" -> preparation)."""
    seg = re.sub(r"\([^)]*\)", " ", desc.split(";")[0].lower())
    out = set()
    for item in re.split(r",|\band\b|\bor\b|&", seg):
        item = item.strip()
        if not item:
            continue
        if item.startswith("of "):
            break
        words = [lemma(w) for w in re.findall(r"[a-z][a-z'-]*", item.split(" of ")[0]) if w not in STOPWORDS]
        if words:
            out.add(" ".join(words))
    return out


def material_terms(desc: str) -> list[str]:
    """"steel pipe", "iron tube" from "Tubes, pipes and hollow profiles, seamless, of iron or steel" (or "Iron or
    steel; tubes, pipes ..."): each material the first segments name, with each good they name."""
    parts = [re.sub(r"\([^)]*\)", " ", p.lower()) for p in desc.split(";")[:2]]
    mats = [w for p in parts for w in (lemma(x) for x in re.findall(r"[a-z]+", p)) if w in MATERIALS]
    if not mats:
        return []
    goods, whole = set(), set()
    if not all(h.split()[-1] in MATERIALS for h in heads_of(parts[0])):
        parts = parts[:1]  # "Structures of iron or steel; plates, rods ...": the first segment names the goods
    for p in parts:
        for h in heads_of(p):
            if " " in h and h.split()[0] in MATERIALS and len(h.split()) == 2:
                whole.add(h)  # "aluminium foil"
            elif h not in MATERIALS and " " not in h and h not in VAGUE:
                goods.add(h)  # a material makes "wire" or "tube" specific
    return sorted(whole) + [f"{m} {g}" for m in dict.fromkeys(mats) for g in sorted(goods)]


def specific_good(segment: str) -> str | None:
    """The single-word good that opens a subheading's second segment ("squid, live, fresh or chilled" -> squid),
    or None when it opens with a qualifier ("live", "of bovine animals", "other than ...")."""
    item = re.split(r",|\(|\band\b|\bor\b|&", segment.strip().lower())[0].strip()
    words = re.findall(r"[a-z][a-z'-]*", item)
    if len(words) != 1 or item.startswith("of ") or len(words[0]) < 4:
        return None
    from lemminflect import getAllLemmas

    if set(getAllLemmas(words[0])) - {"NOUN", "PROPN"}:
        return None  # a word English also uses as a verb or adjective ("check", "black") is too ambiguous alone
    word = lemma(words[0])
    if word in GENERIC or word in VAGUE or word in STOPWORDS or word in QUALIFIERS or word.endswith(("ed", "ing", "ly")):
        return None
    return word


def build(rows: list[dict]) -> dict[str, list[str]]:
    """term -> HS codes (chapters or headings) from the nomenclature rows (hscode, description, level)."""
    chapter_terms: dict[str, set[str]] = defaultdict(set)
    heading_terms: dict[str, set[str]] = defaultdict(set)
    sub_terms: dict[str, set[str]] = defaultdict(set)  # single-word goods of subheadings: new words only
    named: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))  # term -> chapter -> headings naming it
    for r in rows:
        code, desc, level = r["hscode"], r["description"], r["level"]
        parts = [p for p in desc.split(";")]
        if level in {"2", "4"}:
            for t in heads_of(desc):
                named[t][code[:2]] += 1
        if level == "2":
            for t in terms_of(parts[0]):
                chapter_terms[t].add(code)
        elif level == "4":
            for t in terms_of(parts[0]):
                heading_terms[t].add(code)
            for t in material_terms(desc):
                heading_terms[t].add(code)
        elif level == "6":
            for p in parts[:2]:
                for t in terms_of(p):
                    if " " in t:  # single words of subheadings are too often a heading's generic noun
                        heading_terms[t].add(code[:4])
            first = specific_good(parts[1]) if len(parts) > 1 else None
            if first:  # "Molluscs; squid, ...", "Nuts, edible; pistachios, in shell": the subheading's good
                sub_terms[first].add(code[:4])
    for t, codes in sub_terms.items():
        if t not in heading_terms and t not in chapter_terms:
            heading_terms[t] = codes
    out: dict[str, list[str]] = {}
    for t, codes in heading_terms.items():
        chapters = {c[:2] for c in codes}
        if len(chapters) == 1 and len(codes) > 3:
            out[t] = sorted(chapters)
        elif len(codes) <= 4:
            out[t] = sorted(codes)
    for t, codes in chapter_terms.items():
        if len(codes) <= 2:
            out[t] = sorted(codes)  # a chapter's own words name the chapter
    for t, codes in out.items():
        chapters = {c[:2] for c in codes}
        counts = {ch: n for ch, n in named.get(t, {}).items() if ch in chapters}
        if len(chapters) > 1 and counts:  # prefer the chapter whose headings name the good most often
            keep = {ch for ch, n in counts.items() if n == max(counts.values())}
            out[t] = [c for c in codes if c[:2] in keep]
        chapters = {c[:2] for c in out[t]}
        if len(chapters) > 1 and chapters - PREPARED:  # "octopus": the good itself, not its preparations (16, 20)
            out[t] = [c for c in out[t] if c[:2] not in PREPARED]
    return {t: c for t, c in sorted(out.items()) if len(t) >= 3}


def main(argv: list[str]) -> None:
    src = Path(argv[0]) if argv else DEFAULT_CSV
    dst = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    with open(src, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    table = build(rows)
    dst.parent.mkdir(parents=True, exist_ok=True)
    with open(dst, "w", encoding="utf-8") as f:
        f.write("# Product terms of the HS 2022 nomenclature for tradesim.news "
                "(built by scripts/build_news_hs_terms.py).\n"
                "# Source: datasets/harmonized-system data/harmonized-system.csv (HS 2022, WCO nomenclature with\n"
                "# descriptions), license ODC-PDDL; lemmas by lemminflect 0.2.3. Columns: term (lemmas), HS codes.\n")
        for t, codes in table.items():
            f.write(f"{t}\t{' '.join(codes)}\n")
    print(f"{len(table)} terms written to {dst}")


if __name__ == "__main__":
    main(sys.argv[1:])
