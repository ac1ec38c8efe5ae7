"""The Dutch spaCy pipeline, loaded once per process.

On a bare machine it is ``spacy.blank("nl")`` with the rule-based sentencizer and the
lookup lemmatizer from ``spacy-lookups-data``. A trained pipeline (``nl_core_news_sm`` and
friends) is used instead when the environment variable ``AFSPRAKEN_SPACY_MODEL`` names one
that is installed; its dependency parse then helps to find the acting subject.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is loaded with the pipeline (load_nlp), not when the taggers are imported
    from spacy.language import Language
    from spacy.pipeline import Lemmatizer
    from spacy.tokens import Span

MODEL_VARIABLE = "AFSPRAKEN_SPACY_MODEL"


@lru_cache(maxsize=2)
def load_nlp(model: str | None = None) -> Language:
    """The configured pipeline; the blank Dutch one when ``model`` is empty or not installed."""
    import spacy

    model = model if model is not None else os.environ.get(MODEL_VARIABLE) or None
    if model:
        try:
            return spacy.load(model)
        except OSError:
            pass  # not installed: the blank pipeline below works everywhere
    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


@lru_cache(maxsize=4096)
def lemma(word: str) -> str:
    """Lower-case lemma of one word ("huurwoningen" → "huurwoning")."""
    doc = load_nlp()(word.lower())
    return doc[0].lemma_.lower() if len(doc) == 1 else word.lower()


@lru_cache(maxsize=2)
def deferred_lemmatizer(nlp: Language) -> Lemmatizer | None:
    """The pipeline's lemmatizer when it lemmatises token by token (lookup or rule mode). Parsing
    leaves it out: lemmatising every token costs more than tokenising and splitting sentences
    together, and only the sentence a commitment is read from needs lemmas (:func:`lemmas`)."""
    from spacy.pipeline import Lemmatizer

    component = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
    return component if isinstance(component, Lemmatizer) else None


# word → lemma from a lookup lemmatizer, which reads the word alone: each word is looked up
# once, not at every token (emptied when full, so a long run does not grow it without end)
_LOOKED_UP: dict[str, str] = {}
_LOOKED_UP_MAX = 100_000


def lemmas(span: Span) -> list[str]:
    """The lemma of each token of ``span`` (parsed by :func:`load_nlp`) as its lemmatizer would
    have set it; the token's text where there is none."""
    lemmatizer = deferred_lemmatizer(load_nlp())
    if lemmatizer is None:
        return [token.lemma_ or token.text for token in span]
    by_word = lemmatizer.mode == "lookup"
    if len(_LOOKED_UP) > _LOOKED_UP_MAX:
        _LOOKED_UP.clear()
    found = []
    for token in span:
        base_form: str | None
        if token.lemma != 0 and not lemmatizer.overwrite:
            base_form = token.lemma_
        elif not by_word:
            base_form = lemmatizer.lemmatize(token)[0]
        elif (base_form := _LOOKED_UP.get(token.text)) is None:
            base_form = _LOOKED_UP[token.text] = lemmatizer.lemmatize(token)[0]
        found.append(base_form or token.text)
    return found
