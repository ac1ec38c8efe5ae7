"""Corpus runs: the worker pool, the result cache, the outputs manifest, and the run itself."""

from .corpus import RunSummary, find_inputs, run_corpus, write_stats
from .workers import BatchSettings, run_batch

__all__ = ["BatchSettings", "RunSummary", "find_inputs", "run_batch", "run_corpus", "write_stats"]
