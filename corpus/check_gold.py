#!/usr/bin/env python3
"""Validate the gold annotations in corpus/gold/ against the articles.

Usage:
    python3 corpus/check_gold.py             # validate both halves, print counts
    python3 corpus/check_gold.py --uncovered # also list capitalised words that no
                                             # entity name or alias covers (review aid)

Standard library only. Exit status 0 when both gold files are valid, 1 otherwise.

Document text is read the way the annotation guidelines define it:
  .txt   the whole file (a first-line headline is part of the text)
  .md    everything after the front matter block (--- ... ---)
  .html  the text of <h1>-<h6>, <p>, <li> and <blockquote> elements outside
         <head>, <nav>, <header>, <footer>, <script> and <style>; blocks joined by
         blank lines
  .jsonl one document per line, id "<file>#<id field>", text = the "text" field
"""

import html.parser
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
HALVES = ("tune", "test")
ENTITY_TYPES = {"person", "organization", "place"}
TOPICS = {
    "desertion",
    "casualties",
    "withdrawal",
    "territorial_control",
    "strike",
    "mobilization",
    "negotiation",
}
ENTITY_KEYS = {"doc", "name", "type", "aliases"}
CLAIM_KEYS = {"doc", "reporter", "via", "topic", "places", "quantity", "sentence", "hedged"}


class _HtmlText(html.parser.HTMLParser):
    """Collects the article text of an HTML page, skipping page chrome."""

    SKIP = {"head", "nav", "header", "footer", "script", "style"}
    BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip_depth = 0
        self.block_depth = 0
        self.blocks = []
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip_depth += 1
        elif tag in self.BLOCKS and self.skip_depth == 0:
            if self.block_depth == 0:
                self.current = []
            self.block_depth += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in self.BLOCKS and self.skip_depth == 0 and self.block_depth > 0:
            self.block_depth -= 1
            if self.block_depth == 0:
                text = " ".join("".join(self.current).split())
                if text:
                    self.blocks.append(text)

    def handle_data(self, data):
        if self.skip_depth == 0 and self.block_depth > 0:
            self.current.append(data)


def html_text(raw):
    parser = _HtmlText()
    parser.feed(raw)
    parser.close()
    return "\n\n".join(parser.blocks)


def strip_front_matter(raw):
    if raw.startswith("---\n"):
        end = raw.find("\n---\n", 4)
        if end != -1:
            return raw[end + 5 :].lstrip("\n")
    return raw


def load_documents(folder):
    """Returns {doc id: text} for every article under folder, plus a list of problems."""
    docs, problems = {}, []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        raw = path.read_text(encoding="utf-8")
        suffix = path.suffix.lower()
        if suffix == ".txt":
            docs[rel] = raw
        elif suffix == ".md":
            docs[rel] = strip_front_matter(raw)
        elif suffix in (".html", ".htm"):
            docs[rel] = html_text(raw)
        elif suffix == ".jsonl":
            for n, line in enumerate(raw.splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as e:
                    problems.append(f"{rel}:{n}: invalid JSON ({e})")
                    continue
                if not isinstance(obj.get("id"), str) or not isinstance(obj.get("text"), str):
                    problems.append(f"{rel}:{n}: needs string fields id and text")
                    continue
                docs[f"{rel}#{obj['id']}"] = obj["text"]
        else:
            problems.append(f"{rel}: not an article format (.txt, .md, .html, .jsonl)")
    return docs, problems


def contains(text, needle):
    """Case-insensitive whole-phrase match (names may be upper-cased in datelines)."""
    pattern = r"(?<!\w)" + re.escape(needle) + r"(?!\w)"
    return re.search(pattern, text, re.IGNORECASE) is not None


def sentence_line(text, fragment):
    """The line (paragraph) of text that holds fragment, to check figures against."""
    i = text.find(fragment)
    start = text.rfind("\n", 0, i) + 1
    end = text.find("\n", i + len(fragment))
    return text[start : end if end != -1 else len(text)]


def check_half(half):
    errors = []
    gold_path = HERE / "gold" / f"{half}.json"
    try:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        return [f"{gold_path}: {e}"], None, None
    docs, problems = load_documents(HERE / half)
    errors += [f"{half}/{p}" for p in problems]

    if set(gold) != {"corpus", "entities", "claims"}:
        errors.append(f"{half}: top-level keys must be corpus, entities, claims")
    if gold.get("corpus") != f"../{half}":
        errors.append(f"{half}: corpus must be '../{half}'")
    entities = gold.get("entities", [])
    claims = gold.get("claims", [])

    names = {}  # (doc, name) -> type
    seen = set()
    for i, e in enumerate(entities):
        where = f"{half} entity {i} ({e.get('doc')} / {e.get('name')})"
        if not isinstance(e, dict) or set(e) != ENTITY_KEYS:
            errors.append(f"{where}: keys must be {sorted(ENTITY_KEYS)}")
            continue
        if e["doc"] not in docs:
            errors.append(f"{where}: no such document")
            continue
        if e["type"] not in ENTITY_TYPES:
            errors.append(f"{where}: bad type {e['type']!r}")
        if not isinstance(e["aliases"], list) or not all(isinstance(a, str) for a in e["aliases"]):
            errors.append(f"{where}: aliases must be a list of strings")
            continue
        if (e["doc"], e["name"]) in seen:
            errors.append(f"{where}: duplicate entity")
        seen.add((e["doc"], e["name"]))
        for form in [e["name"], *e["aliases"]]:
            if not contains(docs[e["doc"]], form):
                errors.append(f"{where}: {form!r} does not occur in the document")
        if e["name"] in e["aliases"]:
            errors.append(f"{where}: name repeated among aliases")
        names[(e["doc"], e["name"])] = e["type"]

    for i, c in enumerate(claims):
        where = f"{half} claim {i} ({c.get('doc')}: {str(c.get('sentence'))[:40]!r})"
        if not isinstance(c, dict) or set(c) != CLAIM_KEYS:
            errors.append(f"{where}: keys must be {sorted(CLAIM_KEYS)}")
            continue
        doc = c["doc"]
        if doc not in docs:
            errors.append(f"{where}: no such document")
            continue
        text = docs[doc]
        if c["topic"] not in TOPICS:
            errors.append(f"{where}: bad topic {c['topic']!r}")
        if not isinstance(c["hedged"], bool):
            errors.append(f"{where}: hedged must be true or false")
        if not isinstance(c["sentence"], str) or not c["sentence"]:
            errors.append(f"{where}: sentence must be a non-empty string")
            continue
        count = text.count(c["sentence"])
        if count == 0:
            errors.append(f"{where}: sentence is not a substring of the document")
            continue
        if count > 1:
            errors.append(f"{where}: sentence occurs {count} times; use a distinctive part")
        if (doc, c["reporter"]) not in names:
            errors.append(f"{where}: reporter {c['reporter']!r} is not an entity of the document")
        if not isinstance(c["via"], list) or not isinstance(c["places"], list):
            errors.append(f"{where}: via and places must be lists")
            continue
        for v in c["via"]:
            if names.get((doc, v)) != "organization":
                errors.append(f"{where}: via {v!r} is not an organization of the document")
        if c["reporter"] in c["via"]:
            errors.append(f"{where}: reporter repeated in via")
        for p in c["places"]:
            if names.get((doc, p)) != "place":
                errors.append(f"{where}: place {p!r} is not a place of the document")
        q = c["quantity"]
        if q is not None:
            if not isinstance(q, str) or not q:
                errors.append(f"{where}: quantity must be a string or null")
            elif q not in sentence_line(text, c["sentence"]):
                errors.append(f"{where}: quantity {q!r} not written in the sentence's paragraph")
    return errors, docs, gold


IGNORED = {
    "The", "A", "An", "In", "On", "At", "But", "And", "For", "If", "It", "He", "She",
    "They", "We", "Our", "This", "That", "These", "Those", "Its", "His", "Her", "Their",
    "Russian", "Ukrainian", "Telegram", "Facebook", "X", "Voice", "AI-generated",
    "Inconsistencies", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
}


def uncovered(docs, gold):
    """Capitalised words that no gold name or alias of the same document covers."""
    forms = {}
    for e in gold.get("entities", []):
        forms.setdefault(e["doc"], []).extend([e["name"], *e["aliases"]])
    for doc, text in docs.items():
        covered = [0] * len(text)
        for form in forms.get(doc, []):
            for m in re.finditer(re.escape(form), text, re.IGNORECASE):
                for k in range(m.start(), m.end()):
                    covered[k] = 1
        words = Counter()
        for m in re.finditer(r"[A-Z\u00c0-\u00de][\w\u2019'-]*", text):
            word = re.sub(r"['\u2019]s$", "", m.group(0))
            if not covered[m.start()] and word not in IGNORED:
                words[m.group(0)] += 1
        if words:
            print(f"  {doc}: " + ", ".join(sorted(words)))


def main():
    show_uncovered = "--uncovered" in sys.argv[1:]
    failed = False
    for half in HALVES:
        errors, docs, gold = check_half(half)
        for err in errors:
            print("ERROR", err)
        failed |= bool(errors)
        if gold is None:
            continue
        words = sum(len(t.split()) for t in docs.values())
        etypes = Counter(e.get("type") for e in gold["entities"])
        topics = Counter(c.get("topic") for c in gold["claims"])
        hedged = sum(1 for c in gold["claims"] if c.get("hedged") is True)
        print(f"{half}: {len(docs)} articles, {words} words, "
              f"{len(gold['entities'])} entities ({', '.join(f'{k} {v}' for k, v in sorted(etypes.items()))}), "
              f"{len(gold['claims'])} claims ({hedged} hedged)")
        print("  claims by topic: " + ", ".join(f"{k} {v}" for k, v in sorted(topics.items())))
        if show_uncovered:
            uncovered(docs, gold)
    print("FAILED" if failed else "OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
