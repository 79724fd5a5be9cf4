"""``ecs-keypair CreateKeyPair`` as a whole process against ``ssh-keygen`` making an RSA 2048 key.

Goal (issue 2): the command line's CreateKeyPair takes at most 0.8x the time of
``ssh-keygen -q -t rsa -b 2048 -N ''``, each measured as a whole process, in the same run: the
command line must not pay for the TUI's imports.

The runs are interleaved (every round runs each command once, in a rotating order) so that a
burst of load on the machine hits all of them alike. The console script is the interpreter's own
(``<scripts dir>/ecs-keypair``), not a version-manager shim, which would add its own start-up;
it runs with ``PYTHONPATH`` set to this checkout, so that it measures this checkout's ``app``
whichever checkout the script was installed from.
``python -m ecs_keypair`` and a bare ``python -c pass`` are measured beside it for context. When the
goal is missed (or with ``--importtime``), the slowest imports of a CreateKeyPair process are
listed.

Usage: python3 bench/bench_cli.py [--runs 30] [--importtime]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from _common import STORED, Summary, fill_store, temporary_home, verdict
from ecs_keypair.contract.regions import REGIONS
from ecs_keypair.store.settings import key_pair_quota
from ecs_keypair.store.store import KeyPairStore

GOAL = 0.80
PROJECT = Path(__file__).resolve().parent.parent


def console_script() -> str:
    script = Path(sysconfig.get_path("scripts")) / "ecs-keypair"
    if script.is_file() and os.access(script, os.X_OK):
        return str(script)
    found = shutil.which("ecs-keypair")
    if found is None:
        raise SystemExit("ecs-keypair is not installed: pip install -e '.[test]'")
    return found


def _run(command: list[str], home: Path) -> float:
    """Wall time of one whole process, from spawn to exit; a failure stops the benchmark."""
    env = {**os.environ, "ECS_KEYPAIR_HOME": str(home), "PYTHONPATH": str(PROJECT / "app")}
    start = time.perf_counter()
    result = subprocess.run(
        command, stdin=subprocess.DEVNULL, capture_output=True, env=env, cwd=PROJECT
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{command[:3]} failed: {result.stderr.decode(errors='replace')}")
    return elapsed


def _create(prefix: list[str], region: str, name: str) -> list[str]:
    return [*prefix, "CreateKeyPair", "--RegionId", region, "--KeyPairName", name]


SSH_KEYGEN = "ssh-keygen -t rsa -b 2048"
SCRIPT = "ecs-keypair CreateKeyPair"
SCRIPT_FULL = f"ecs-keypair CreateKeyPair, {STORED:,} stored"
MODULE = "python -m ecs_keypair CreateKeyPair"
FLOOR = "python -c pass (interpreter floor)"


def measure(runs: int, empty_home: Path, full_home: Path, keys_dir: Path) -> dict[str, Summary]:
    script = [console_script()]
    module = [sys.executable, "-m", "ecs_keypair"]
    regions = [region.region_id for region in REGIONS]

    def command(label: str, number: int) -> tuple[list[str], Path]:
        region = regions[number % len(regions)]
        if label == SSH_KEYGEN:
            key_file = str(keys_dir / f"key-{number}")
            keygen = ["ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", key_file]
            return keygen, empty_home
        if label == SCRIPT:
            return _create(script, region, f"script-{number}"), empty_home
        if label == SCRIPT_FULL:
            return _create(script, region, f"script-{number}"), full_home
        if label == MODULE:
            return _create(module, region, f"module-{number}"), empty_home
        return [sys.executable, "-c", "pass"], empty_home

    labels = [SSH_KEYGEN, SCRIPT, SCRIPT_FULL, MODULE, FLOOR]
    samples: dict[str, list[float]] = {label: [] for label in labels}
    for number in range(-1, runs):  # round -1 warms the page cache and is not counted
        shift = number % len(labels)
        for label in labels[shift:] + labels[:shift]:
            elapsed = _run(*command(label, number))
            if number >= 0:
                samples[label].append(elapsed)
    return {label: Summary.of(values) for label, values in samples.items()}


def import_offenders(home: Path, count: int = 15) -> None:
    """The imports of one CreateKeyPair process, slowest first (``-X importtime``)."""
    command = [sys.executable, "-X", "importtime", "-m", "ecs_keypair"]
    result = subprocess.run(
        _create(command, "cn-qingdao", "importtime-probe"),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={**os.environ, "ECS_KEYPAIR_HOME": str(home)},
        cwd=PROJECT,
    )
    rows = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = line.removeprefix("import time:").split("|")
        rows.append((int(cumulative_us), int(self_us), name.rstrip()))
    print(
        f"\nImports of `python -m ecs_keypair CreateKeyPair` (-X importtime, {len(rows)} modules)"
    )
    top_level = [row for row in rows if not row[2].startswith("  ")]
    print("  top-level packages by cumulative time:")
    for cumulative, _, name in sorted(top_level, reverse=True)[:count]:
        print(f"    {cumulative / 1000:8.2f} ms  {name.strip()}")
    print("  modules by their own time:")
    for _, own, name in sorted(rows, key=lambda row: row[1], reverse=True)[:count]:
        print(f"    {own / 1000:8.2f} ms  {name.strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="runs of each command")
    parser.add_argument("--importtime", action="store_true", help="always list slow imports")
    arguments = parser.parse_args()

    with temporary_home() as full_home, tempfile.TemporaryDirectory() as scratch:
        fill_store(KeyPairStore(full_home, key_pair_quota()))
        empty_home = Path(scratch) / "empty"
        keys_dir = Path(scratch) / "ssh-keygen"
        keys_dir.mkdir()
        print(f"console script: {console_script()}\ninterpreter:    {sys.executable}")
        print(f"\nWhole processes, {arguments.runs} interleaved runs each")
        figures = measure(arguments.runs, empty_home, full_home, keys_dir)
        for label, summary in figures.items():
            print(summary.line(label))

        baseline = figures[SSH_KEYGEN]
        for label in (SCRIPT, SCRIPT_FULL, MODULE):
            print(
                f"  {label}: {figures[label].median / baseline.median:.3f}x ssh-keygen (medians),"
                f" {figures[label].mean / baseline.mean:.3f}x (means)"
            )
        above_floor = figures[SCRIPT].median - figures[FLOOR].median
        print(f"  {SCRIPT} above the interpreter floor: {above_floor * 1e3:.1f} ms (medians)")
        ratio = figures[SCRIPT].median / baseline.median
        print(
            f"  ratio of medians, console script / ssh-keygen = {ratio:.3f}x"
            f"  (goal <= {GOAL:.2f}x: {verdict(ratio <= GOAL)})"
        )
        if arguments.importtime or ratio > GOAL:
            import_offenders(empty_home)


if __name__ == "__main__":
    main()
