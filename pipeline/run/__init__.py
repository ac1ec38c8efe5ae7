"""Corpus runs: the worker pool, the result cache, the outputs manifest, and the run itself."""

from .corpus import Inputs, RunSummary, find_inputs, run_corpus, scan_inputs, write_stats
from .lock import OutputInUse
from .workers import BatchSettings, run_batch

__all__ = ["BatchSettings", "Inputs", "OutputInUse", "RunSummary", "find_inputs", "run_batch", "run_corpus", "scan_inputs", "write_stats"]
