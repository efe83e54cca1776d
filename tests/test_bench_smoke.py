"""The dispatcher, memory and load benchmarks run end to end at a tiny size, on SQLite.

They measure nothing here; this only keeps them working as the bot changes under them.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _load(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # memory_bench imports dispatch_bench by this name
    spec.loader.exec_module(module)
    return module


def _numbers(pattern: str, text: str) -> list[float]:
    return [float(x.replace(",", "")) for x in re.findall(pattern, text)]


async def test_dispatch_bench(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _load("dispatch_bench")
    args = argparse.Namespace(users=3, warmup=1, concurrency=[2], seed=7, database_url=None)
    await bench.main(args)
    out = capsys.readouterr().out
    rates = _numbers(r"([\d.]+) updates/s \|", out)
    assert len(rates) == 2 and all(rate > 0 for rate in rates), out  # the full dispatcher and the echo
    p95 = _numbers(r"p95 +([\d.]+) ms,", out)
    assert p95 and all(0 < ms < 10_000 for ms in p95), out
    [total] = _numbers(r"updates per run: ([\d,]+) =", out)
    assert total >= 3 * 20, out  # three whole conversations: onboarding alone is 14 updates
    errors = re.findall(r"errors: (.*)", out)
    assert len(errors) == 1, out
    for line in errors:  # "0 exceptions out of feed_update, 0 handlers.errors records, …"
        counts = re.findall(r"\d+", line)
        assert len(counts) >= 9 and set(counts) == {"0"}, out
    assert "profiles complete 3" in out, out


async def test_memory_bench(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _load("memory_bench")
    # In this process: a fresh one would spend most of the test importing aiogram.
    args = argparse.Namespace(
        sizes=[30], seed=7, existing=4, new_users=0, send_batches=1, database_url=None, in_process=True
    )
    await bench.main(args)
    out = capsys.readouterr().out
    rss = _numbers(r"\s(\d+) \(\d+\)", out)
    assert len(rss) >= 6 and all(20 < mib < 4000 for mib in rss), out
    assert "errors with 30 teachers: none" in out, out
    assert "methodist: nominees" in out and "teacher: /start" in out and "young: /start" in out, out


async def test_load_bench(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _load("load_bench")
    # The real `python -m bot run` over HTTP: three people, a short round trip, no warm-up.
    args = bench.parser().parse_args(
        ["--people", "3", "--actions", "20", "--latency", "5", "--warmup", "0", "--seed", "7"]
    )
    await bench.main(args)
    out = capsys.readouterr().out
    [total] = _numbers(r"([\d,]+) updates in [\d.]+ s", out)
    assert total >= 3 * 14, out  # onboarding alone is 14 updates a person
    [rate] = _numbers(r"([\d.]+) updates/s \(", out)
    assert rate > 0, out
    [p99] = _numbers(r"last reply received\): p50 [\d,]+ ms, p95 [\d,]+ ms, p99 ([\d,]+) ms", out)
    assert 0 < p99 < 30_000, out
    [cpu] = _numbers(r"= ([\d.]+) ms per update", out)
    assert cpu > 0, out
    assert re.search(r"failed updates: [\d,]+ of [\d,]+", out), out
    assert "timeouts (not ended within 30 s): 0" in out, out
    assert "bot exit status 0" in out, out
    assert "0 failed updates at 50 people, SQLite: not judged (3 people)" in out, out
    assert "p99 ≤ 1 s at 50 people on SQLite: not judged (3 people)" in out, out
