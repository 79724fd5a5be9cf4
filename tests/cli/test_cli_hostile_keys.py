"""``fingerprint`` and ``match`` over hostile key files (tests/support/hostile_keys.py), as real
processes: the right answer, within a time and a memory bound, and stopped by ctrl+c or SIGTERM
at once. The bounds are generous: they catch seconds turned into minutes and a folder held in
memory, never a slow machine."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from ecs_keypair.contract.api_requests import ImportKeyPairRequest
from ecs_keypair.exit_codes import EXIT_INTERRUPTED, EXIT_TERMINATED
from ecs_keypair.keys.kdf_costs import MAX_BCRYPT_ROUNDS
from ecs_keypair.keys.key_formats import public_key_of
from ecs_keypair.keys.ppk import MAX_ARGON2_MEMORY_KIB, MAX_ARGON2_PASSES
from ecs_keypair.store.local_backend import LocalBackend

from tests.support.cli import REGION, cpu_seconds, has_open, run_measured, start_module
from tests.support.hostile_keys import (
    CORPUS_ANSWERS,
    NEEDS_PASSPHRASE,
    PASSPHRASE,
    key_lines,
    mersenne_rsa_key,
    openssh_with_rounds,
    ppk_with,
    rsa_pem,
    write_corpus,
    write_many,
)

TIME_LIMIT = 20.0  # seconds for one file or the corpus; the Mersenne pem alone took 24 s
MANY_TIME_LIMIT = 60.0  # 1,000 files of 64 KiB of key lines
MEMORY_LIMIT_MIB = 150.0  # the process's peak; 1,000 files of key lines took 300 MB
STOP_LIMIT = 5.0  # seconds from the signal to the exit ("within a second", with room)
MANY_FILES = 1000
ENV = {"KEY_PASS": PASSPHRASE.decode()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,000 files of 64 KiB of ed25519 key lines, and a Mersenne-prime RSA key read first."""
    folder = tmp_path_factory.mktemp("crowded")
    write_many(folder, MANY_FILES, key_lines(64 * 1024 - 100))
    (folder / "aaa-mersenne.pem").write_bytes(rsa_pem(mersenne_rsa_key(4423, 9689)))
    return folder


@pytest.mark.parametrize("name", sorted(CORPUS_ANSWERS))
def test_fingerprint_answers_each_hostile_file_at_once(
    corpus: dict[str, Path], name: str
) -> None:
    args = ["fingerprint", str(corpus[name])]
    if name in NEEDS_PASSPHRASE:  # the passphrase makes the file's derivation costs count
        args += ["--passphrase-env", "KEY_PASS"]
    run = run_measured(*args, KEY_PASS=ENV["KEY_PASS"])  # by name: a dict could hold timeout
    expected = CORPUS_ANSWERS[name]
    if expected == "ok":
        assert run.outcome.body["KeyPairFingerPrint"]
    else:  # the tool's one line, naming the file and what is wrong with it
        assert (run.outcome.status, run.outcome.out) == (1, "")
        assert run.outcome.err.startswith(f"ecs-keypair: fingerprint: {corpus[name]}: ")
        assert expected in run.outcome.err and run.outcome.err.count("\n") == 1
    assert run.seconds < TIME_LIMIT
    assert run.peak_mib < MEMORY_LIMIT_MIB


def test_match_skips_and_counts_what_it_cannot_read(
    corpus: dict[str, Path], backend: LocalBackend
) -> None:
    mersenne = public_key_of(mersenne_rsa_key(4423, 9689)).line
    backend.import_key_pair(ImportKeyPairRequest(REGION, "mersenne", mersenne))
    folder = corpus["empty"].parent

    run = run_measured("match", "--RegionId", REGION, "--dir", str(folder))

    body = run.outcome.body
    assert [Path(f["Path"]).name for f in body["KeyPairs"][0]["Files"]] == [
        "mersenne-encrypted-openssh", "mersenne-encrypted.ppk", "mersenne-openssh",
        "mersenne-pkcs8.pem", "mersenne-ppk.ppk", "mersenne-traditional.pem",
    ]
    skipped = {Path(entry["Path"]).name: entry["Reason"] for entry in body["Skipped"]}
    assert body["SkippedFiles"] == len(skipped) == 13
    for name, reason in skipped.items():
        if name in NEEDS_PASSPHRASE:  # a pem whose public key only its passphrase shows
            assert reason.startswith("encrypted, and its public key is not in the file"), name
        elif name == "null-link":  # named by the user, a link is followed; in a scan, not out
            assert reason == "a link out of the folder"
        else:
            assert CORPUS_ANSWERS[name] in reason, name
    assert body["FilesRead"] == len(CORPUS_ANSWERS) - 2  # all but the FIFO and the link out
    assert body["EntryLimitReached"] is False
    assert run.seconds < TIME_LIMIT
    assert run.peak_mib < MEMORY_LIMIT_MIB


def test_match_reads_many_files_of_key_lines_in_bounded_memory(
    crowded: Path, backend: LocalBackend
) -> None:
    first_line = (crowded / "many-000000").read_text().splitlines()[0]
    backend.import_key_pair(ImportKeyPairRequest(REGION, "listed", first_line))

    run = run_measured("match", "--RegionId", REGION, "--dir", str(crowded))

    body = run.outcome.body
    assert body["FilesRead"] == MANY_FILES + 1
    assert len(body["KeyPairs"][0]["Files"]) == MANY_FILES
    assert run.seconds < MANY_TIME_LIMIT
    assert run.peak_mib < MEMORY_LIMIT_MIB


def _stopped_within(
    process: subprocess.Popen[str], started: Callable[[], bool], signum: int
) -> float:
    """Send ``signum`` once ``started()`` holds; the seconds the process took to exit."""
    deadline = time.monotonic() + 60
    while not started():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the process never got to the work"
        time.sleep(0.01)
    sent = time.monotonic()
    process.send_signal(signum)
    try:
        process.communicate(timeout=60)
    finally:
        process.kill()
    return time.monotonic() - sent


SIGNALS = pytest.mark.parametrize(
    ("signum", "status"),
    [(signal.SIGINT, EXIT_INTERRUPTED), (signal.SIGTERM, EXIT_TERMINATED)],
    ids=["SIGINT", "SIGTERM"],
)


@SIGNALS
def test_a_signal_stops_match_at_once(
    crowded: Path, backend: LocalBackend, signum: int, status: int
) -> None:
    backend.import_key_pair(ImportKeyPairRequest(REGION, "listed", (crowded / "many-000000")
                                                 .read_text().splitlines()[0]))
    process = start_module("match", "--RegionId", REGION, "--dir", str(crowded))
    real = Path(os.path.realpath(crowded))

    took = _stopped_within(process, lambda: has_open(process.pid, real), signum)

    assert took < STOP_LIMIT
    assert process.returncode == status


# Derivations the caps allow that take seconds (the passphrase is wrong: all of it is done).
SLOW_FILES: dict[str, Callable[[], bytes]] = {
    "bcrypt": lambda: openssh_with_rounds(MAX_BCRYPT_ROUNDS),
    "argon2": lambda: ppk_with(
        Argon2_Memory=str(MAX_ARGON2_MEMORY_KIB), Argon2_Passes=str(MAX_ARGON2_PASSES)
    ),
}


@SIGNALS
@pytest.mark.parametrize("kdf", sorted(SLOW_FILES))
def test_a_signal_stops_fingerprint_in_a_passphrase_derivation(
    tmp_path: Path, kdf: str, signum: int, status: int
) -> None:
    slow = tmp_path / "slow"
    slow.write_bytes(SLOW_FILES[kdf]())
    process = start_module("fingerprint", str(slow), "--passphrase-env", "KEY_PASS", **ENV)

    took = _stopped_within(process, lambda: cpu_seconds(process.pid) > 0.5, signum)

    assert took < STOP_LIMIT
    assert process.returncode == status
