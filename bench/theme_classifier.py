"""Which decides an afspraak's theme better where no heading does: the content lexicon or a
spaCy text classifier trained on the corpus's own headed afspraken?

Every afspraak under a thematic heading is a labelled example (the heading's theme). Each
method is scored on one agreement after seeing only the other (the lexicon sees neither).
Writes bench/theme_classifier.md.
"""

from __future__ import annotations

import random
from pathlib import Path

import spacy
from spacy.training import Example

from pipeline.extract import extract_document
from pipeline.model.rules import default_rules
from pipeline.tag.theme import theme_from_content, theme_from_headings

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ["tynaarlo-2023", "aa-en-hunze-2022"]


def headed_examples(doc_id: str) -> list[tuple[str, str]]:
    rules = default_rules()
    document = extract_document(ROOT / "corpus" / f"{doc_id}.pdf", rules).document
    pairs = [(a.text, theme_from_headings(a.section_path, rules.themes)) for a in document.afspraken]
    return [(text, theme) for text, theme in pairs if theme]


def train_textcat(examples: list[tuple[str, str]], labels: list[str], seed: int = 0):
    random.seed(seed)
    nlp = spacy.blank("nl")
    textcat = nlp.add_pipe("textcat")
    for label in labels:
        textcat.add_label(label)
    data = [Example.from_dict(nlp.make_doc(t), {"cats": {l: float(l == theme) for l in labels}}) for t, theme in examples]
    optimizer = nlp.initialize(lambda: data)
    for _ in range(20):
        random.shuffle(data)
        for batch in spacy.util.minibatch(data, size=8):
            nlp.update(batch, sgd=optimizer)
    return nlp


def main() -> None:
    rules = default_rules()
    labels = list(rules.themes.themes)
    examples = {doc_id: headed_examples(doc_id) for doc_id in DOCUMENTS}
    rows = []
    for test_id in DOCUMENTS:
        train = [e for doc_id in DOCUMENTS if doc_id != test_id for e in examples[doc_id]]
        test = examples[test_id]
        lexicon = sum(theme_from_content(t, rules.themes) == theme for t, theme in test)
        nlp = train_textcat(train, labels)
        textcat = sum(max(nlp(t).cats.items(), key=lambda kv: kv[1])[0] == theme for t, theme in test)
        rows.append((test_id, len(test), lexicon / len(test), textcat / len(test)))
    lines = [
        "# Theme without a heading: lexicon vs spaCy textcat",
        "",
        "Accuracy on afspraken whose thematic heading is hidden; textcat trained on the other agreement.",
        "",
        "| test document | afspraken | lexicon | textcat |",
        "|---|---|---|---|",
        *[f"| {d} | {n} | {lex:.3f} | {tc:.3f} |" for d, n, lex, tc in rows],
    ]
    (ROOT / "bench" / "theme_classifier.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
