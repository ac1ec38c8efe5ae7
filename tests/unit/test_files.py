"""Output file permissions: 0o666 less the umask, read lazily once and without a race."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading

import pytest

from pipeline import files


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_importing_reads_no_umask():
    code = "import pipeline.files as f; print(f._file_mode)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "None"


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="no /proc")
def test_the_umask_comes_from_proc_without_changing_it(monkeypatch):
    def no_toggle(mask: int) -> int:
        raise AssertionError("os.umask called")

    expected = _current_umask()
    monkeypatch.setattr(files.os, "umask", no_toggle)
    assert files._read_umask() == expected


def test_without_proc_the_umask_is_read_by_setting_it_back(monkeypatch):
    expected = _current_umask()
    real_open = open

    def no_proc(path, *args, **kwargs):
        if str(path).startswith("/proc/"):
            raise FileNotFoundError(path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", no_proc)
    assert files._read_umask() == expected
    assert _current_umask() == expected


def test_the_mode_is_read_once_by_many_threads(monkeypatch):
    calls: list[int] = []

    def counted() -> int:
        calls.append(1)
        return 0o027

    monkeypatch.setattr(files, "_file_mode", None)
    monkeypatch.setattr(files, "_read_umask", counted)
    modes: list[int] = []
    threads = [threading.Thread(target=lambda: modes.append(files.file_mode())) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert modes == [0o640] * 16 and len(calls) == 1


def test_an_output_gets_0o666_less_the_umask(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "_file_mode", None)
    previous = os.umask(0o027)
    try:
        files.write_atomic(tmp_path / "uit.json", b"{}\n")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "uit.json").stat().st_mode) == 0o640
