"""The local key commands: ``keygen``, ``copy``, ``fingerprint``, ``match``, ``sync`` and
``rotate``.

Each reads its options (aliyun-style ``--Name value``), calls one engine function and prints JSON
(or what ``--output`` / ``--cli-query`` ask, printed as for the API's commands): exit 0 when
everything asked for succeeded, 1 with error bodies when the engine refused (for ``keygen`` and
``copy``: when any region failed or conflicted; the per-region answer is still printed on
stdout; for ``rotate``: when an instance did not move), 1 with one line for a key file or folder
given that cannot be read, 2 for a command line that is wrong.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from ecs_keypair.cli.conventions import OUTPUT_HELP, OUTPUT_OPTIONS, Conventions
from ecs_keypair.cli.help import WIDTH
from ecs_keypair.cli.help import _entry as help_entry
from ecs_keypair.cli.key_options import (
    DELIVERY_OPTIONS,
    OPENING_PASSPHRASE_OPTIONS,
    Option,
    delivery_from,
    read_options,
    read_passphrase,
)
from ecs_keypair.cli.names import PROGRAM
from ecs_keypair.cli.parsing import UsageError
from ecs_keypair.exit_codes import EXIT_FAILED, EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from ecs_keypair.backends import Target
    from ecs_keypair.contract.backend import KeyPairBackend, KeySpec
    from ecs_keypair.mirrored import MirroredBackend
    from ecs_keypair.workflows.rotation import Rotation

Found = dict[str, Any]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class KeyCommand:
    name: str
    usage: str
    summary: str
    options: tuple[Option, ...]
    run: Callable[[Found, list[str], Target, Conventions], int]
    example: str
    positional: str = ""


def _open(target: Target) -> KeyPairBackend:
    from ecs_keypair.backends import open_backend

    return open_backend(**target)


def _report(
    call: Callable[[], tuple[dict[str, object], bool, Any]],
    region_id: str | None,
    shown: Conventions,
) -> int:
    """Print the call's body as ``shown`` asks, as an API call's is printed; exit 1 when it says
    not everything succeeded (the agent's error body, if any, on stderr)."""
    from ecs_keypair.cli.calls import run_call
    from ecs_keypair.cli.output import error_body, write_json

    verdict: list[tuple[bool, Any]] = []

    def body() -> dict[str, object]:
        answer, ok, agent_error = call()
        verdict.append((ok, agent_error))
        return answer

    status = run_call(body, region_id, shown)
    if status != EXIT_OK or not verdict:
        return status
    ok, agent_error = verdict[0]
    if agent_error is not None:
        write_json(sys.stderr, error_body(agent_error, region_id))
    return EXIT_OK if ok and agent_error is None else EXIT_FAILED


def _key_spec(found: Found, backend: KeyPairBackend) -> KeySpec:
    """The key to make here: ``--type`` and ``--bits``, each else the backend's proposal."""
    key_type, bits = backend.proposed_key_type
    if "type" in found:
        key_type, bits = found["type"], None
    return key_type, found.get("bits", bits)


def _keygen(found: Found, rest: list[str], target: Target, shown: Conventions) -> int:
    from ecs_keypair.store.saved_keys import SavedKeys
    from ecs_keypair.store.settings import data_home
    from ecs_keypair.workflows.key_workflows import make_key_here

    delivery = delivery_from(found, "openssh")

    def call() -> tuple[dict[str, object], bool, Any]:
        backend = _open(target)
        key_type, bits = _key_spec(found, backend)
        made = make_key_here(
            backend,
            found["KeyPairName"],
            found["RegionId"],
            key_type,
            bits,
            delivery.save,
            delivery.agent,
            skip_existing=bool(found.get("skip-existing")),
        )
        SavedKeys(data_home()).remember_saved(made.public_key.md5_fingerprint, made.delivered.saved)
        return made.body(), made.ok, made.delivered.agent_error

    return _report(call, None, shown)


def _copy(found: Found, rest: list[str], target: Target, shown: Conventions) -> int:
    from ecs_keypair.workflows.multi_region import copy_key_pair, region_ids

    def call() -> tuple[dict[str, object], bool, Any]:
        backend = _open(target)
        regions = region_ids(backend, found["to"], exclude=(found["RegionId"],))
        results = copy_key_pair(backend, found["KeyPairName"], found["RegionId"], regions)
        body = {
            "KeyPairName": found["KeyPairName"],
            "FromRegionId": found["RegionId"],
            "Regions": [result.body() for result in results],
        }
        return body, all(result.ok for result in results), None

    return _report(call, found["RegionId"], shown)


def _interruptible(call: Callable[[], T]) -> T:
    """``call()`` made in a daemon thread while the main thread waits for it: ctrl+c reaches
    the main thread at once even while the call is inside C code (a passphrase derivation the
    file asks for), and the process exits without waiting for the thread."""
    outcome: list[tuple[T, None] | tuple[None, BaseException]] = []

    def work() -> None:
        try:
            outcome.append((call(), None))
        except BaseException as exc:  # handed to the main thread as it is
            outcome.append((None, exc))

    thread = threading.Thread(target=work, name="key-files", daemon=True)
    thread.start()
    thread.join()  # a signal interrupts the wait
    answer, failure = outcome[0]
    if failure is not None:
        raise failure
    return answer  # type: ignore[return-value]


@contextmanager
def _reading(command: str, typed: str) -> Iterator[None]:
    """Reading the key file or folder named on the line as ``typed``: the engine's refusal of
    it becomes the tool's own line (:class:`~ecs_keypair.cli.output.ToolError`), the name as
    typed."""
    from ecs_keypair.cli.output import ToolError
    from ecs_keypair.contract.errors import ApiException

    try:
        yield
    except ApiException as exc:
        raise ToolError(f"{command}: {typed}: {exc.error.reason or exc.error.message}") from None


def _fingerprint(
    found: Found, rest: list[str], target: Target, shown: Conventions
) -> int:
    from ecs_keypair.keys.key_scan import read_key_file

    if len(rest) != 1:
        raise UsageError("fingerprint takes one FILE" if rest else "missing FILE")
    passphrase = read_passphrase(found)

    def call() -> tuple[dict[str, object], bool, Any]:
        with _reading("fingerprint", rest[0]):
            found = _interruptible(lambda: read_key_file(rest[0], passphrase))
        return found.body(), True, None

    return _report(call, None, shown)


def _match(found: Found, rest: list[str], target: Target, shown: Conventions) -> int:
    from ecs_keypair.keys.key_scan import DEFAULT_FOLDER, match_folder
    from ecs_keypair.store.saved_keys import SavedKeys
    from ecs_keypair.store.settings import data_home

    folder = found.get("dir", DEFAULT_FOLDER)

    def call() -> tuple[dict[str, object], bool, Any]:
        records = _open(target).find_key_pairs(found["RegionId"])
        with _reading("match", folder):
            matched, scan = _interruptible(lambda: match_folder(records, folder))
        saved = SavedKeys(data_home())
        body = {
            "RegionId": found["RegionId"],
            "Directory": str(folder),
            **scan.body(),
            "KeyPairs": [
                {
                    **entry.body(),
                    "SavedHere": [p.body() for p in saved.places(entry.record.fingerprint)],
                }
                for entry in matched
            ],
        }
        return body, True, None

    return _report(call, found["RegionId"], shown)


def _sync(found: Found, rest: list[str], target: Target, shown: Conventions) -> int:
    if not (target.get("endpoint") or target.get("cloud")):
        raise UsageError("sync refreshes the mirror of an endpoint's key pairs: give --endpoint "
                         "or --cloud (the local store needs none)")

    def call() -> tuple[dict[str, object], bool, Any]:
        from ecs_keypair.mirrored import MirroredBackend
        from ecs_keypair.workflows.each_region import each_region
        from ecs_keypair.workflows.multi_region import region_ids

        backend = _open(target)
        assert isinstance(backend, MirroredBackend)  # open_backend mirrors every endpoint
        regions = region_ids(backend, str(found.get("RegionId", "all")))
        entries = each_region(backend, regions, partial(_sync_region, backend))
        synced = sum(entry["Outcome"] == "Synced" for entry in entries)
        body = {
            "Endpoint": backend.backend_label,
            "Regions": entries,
            "Synced": synced,
            "Failed": len(entries) - synced,
        }
        return body, synced == len(entries), None

    return _report(call, None, shown)


def _sync_region(backend: MirroredBackend, region_id: str) -> dict[str, object]:
    """One region listed whole into the mirror: its entry in sync's answer, and its progress
    line on stderr as soon as it is known."""
    from ecs_keypair.cli.output import error_body
    from ecs_keypair.contract.errors import INTERNAL_ERROR, ApiError, ApiException
    from ecs_keypair.contract.text_safety import visible
    from ecs_keypair.store.store_paths import StoreError

    error: ApiError | None = None
    try:
        synced = backend.sync(region_id)
    except ApiException as exc:
        error = exc.error
    except StoreError as exc:
        error = replace(INTERNAL_ERROR, message=str(exc))
    if error is None:
        if synced.replaced:
            path = backend.mirror.region_path(region_id)
            sys.stderr.write(visible(
                f"{region_id}: the mirror file {path} {synced.replaced}; it was replaced by "
                "this listing"
            ) + "\n")
        count = synced.key_pairs
        said = f"{count} key pair{'' if count == 1 else 's'}"
        entry: dict[str, object] = {"RegionId": region_id, "Outcome": "Synced", "KeyPairs": count}
    else:
        said = f"failed: {error.line}"
        entry = {"RegionId": region_id, "Outcome": "Failed", "Error": error_body(error, region_id)}
    sys.stderr.write(f"{visible(region_id)}: {said}\n")
    sys.stderr.flush()
    return entry


def _rotate(found: Found, rest: list[str], target: Target, shown: Conventions) -> int:
    from ecs_keypair.cli.output import deleted, say_interrupted
    from ecs_keypair.store.saved_keys import SavedKeys
    from ecs_keypair.store.settings import data_home
    from ecs_keypair.workflows.rotation import rotate_key_pair

    made_here = "type" in found or "bits" in found
    delivery = delivery_from(found, "openssh" if made_here else "pem")
    use_existing = bool(found.get("use-existing"))
    if delivery.save is None and delivery.agent is None and not use_existing:
        raise UsageError(
            f"give --save PATH or --add-to-agent: the private key of {found['NewKeyPairName']} "
            "must go somewhere (--use-existing, for a key pair that exists already and whose "
            "key you hold, needs neither)"
        )
    undone: list[str] = []

    def call() -> tuple[dict[str, object], bool, Any]:
        backend = _open(target)
        saved = SavedKeys(data_home())
        rotation = rotate_key_pair(
            backend,
            found["RegionId"],
            found["KeyPairName"],
            found["NewKeyPairName"],
            made_here=_checked_key_spec(found, backend) if made_here else None,
            save=delivery.save,
            agent=delivery.agent,
            reboot=bool(found.get("reboot")),
            delete_old=bool(found.get("delete-old")),
            use_existing=use_existing,
            held_here=saved.holds,
            undone=undone.append,
        )
        if rotation.new.delivered is not None:
            saved.remember_saved(
                rotation.new.fingerprint, rotation.new.delivered.saved
            )
        _say_not_used(found, rotation)
        _say_not_moved(rotation)
        return rotation.body(), rotation.ok, rotation.agent_error

    try:
        return _report(call, found["RegionId"], shown)
    except KeyboardInterrupt:
        if undone:
            say_interrupted(deleted(f"the key pair {undone[0]}"))
        raise


def _checked_key_spec(found: Found, backend: KeyPairBackend) -> KeySpec:
    """:func:`_key_spec`, a size no key of its type has refused as the command line's mistake
    (the type proposed here named when ``--type`` was not given)."""
    from ecs_keypair.keys.key_specs import check_key_spec

    key_type, bits = _key_spec(found, backend)
    problem = check_key_spec(key_type, bits)
    if problem is None:
        return key_type, bits
    if "type" in found:
        raise UsageError(f"--bits {bits}: {problem.reason}")
    raise UsageError(
        f"--bits {bits}: the key type proposed here is {key_type} (no --type was given), and "
        f"{problem.reason}, or choose the type with --type"
    )


def _say_not_used(found: Found, rotation: Rotation) -> None:
    """One line on stderr when NEW was there already and the options that make or deliver a key
    were given: they did nothing."""
    if rotation.new.outcome != "AlreadyThere":
        return
    given = [f"--{name}" for name in ("save", "add-to-agent", "type", "bits") if name in found]
    if not given:
        return
    from ecs_keypair.contract.text_safety import visible

    listed = given[0] if len(given) == 1 else f"{', '.join(given[:-1])} and {given[-1]}"
    sys.stderr.write(
        f"{PROGRAM}: rotate: {listed} {'was' if len(given) == 1 else 'were'} not used: "
        f"{visible(rotation.new.key_pair_name)} exists already, so nothing was made or saved\n"
    )
    sys.stderr.flush()


def _say_not_moved(rotation: Rotation) -> None:
    """One line on stderr for each instance that did not move, and for OLD kept when its
    deletion was asked."""
    from ecs_keypair.contract.text_safety import visible

    lines = [
        f"{result.instance_id}: {result.outcome}: {result.note}"
        for result in rotation.instances
        if not result.moved
    ]
    if rotation.old.refused:
        lines.append(f"{rotation.old.key_pair_name} kept: {rotation.old.reason}")
    for line in lines:
        sys.stderr.write(f"{PROGRAM}: rotate: {visible(line)}\n")
    sys.stderr.flush()


_NAME = Option("KeyPairName", "The key pair's name in every region.", "NAME", required=True)
KEY_COMMAND_TABLE: dict[str, KeyCommand] = {
    command.name: command
    for command in (
        KeyCommand(
            "keygen",
            "--KeyPairName NAME --RegionId R1[,R2,…|all] --save PATH [--type TYPE] [--bits N] "
            "[--format FORMAT] [--passphrase-file FILE | --passphrase-env VAR] "
            "[--add-to-agent [--lifetime SECONDS]]",
            "Make a key on this machine (the private key never leaves it), save it first, then "
            "ImportKeyPair it into each region. Every region is asked first: where the name is "
            "taken, nothing is made (unless --skip-existing). One result per region; exit 0 "
            "only if every region succeeded.",
            (
                _NAME,
                Option("RegionId", "The regions to import into: R1,R2,… or all.", "REGIONS",
                       required=True),
                Option("type", "ed25519 (default; rsa on the cloud, whose ImportKeyPair documents "
                       "rsa, dsa and ecdsa), rsa or ecdsa.", "TYPE",
                       choices=("ed25519", "rsa", "ecdsa")),
                Option("bits", "rsa: 2048 to 4096 (default 3072); ecdsa: 256 (default), 384 or "
                       "521.", "N", integer=True),
                replace(DELIVERY_OPTIONS[0], required=True),
                Option("format", "openssh (default), ppk (PuTTY version 3), or pem (PKCS#8; not "
                       "for ed25519).", "FORMAT", choices=("pem", "openssh", "ppk")),
                *DELIVERY_OPTIONS[2:],
                Option("skip-existing", "Where the name is taken (or a region cannot be asked), "
                       "report it and import into the other regions; without it nothing is made.",
                       flag=True),
            ),
            _keygen,
            f"{PROGRAM} keygen --KeyPairName laptop --RegionId cn-hangzhou,cn-shanghai "
            "--save ~/.ssh/laptop --passphrase-file ~/.pass",
        ),
        KeyCommand(
            "copy",
            "--KeyPairName NAME --RegionId FROM --to R1[,R2,…|all]",
            "Import the stored public key of a key pair into other regions. Already there with "
            "the same fingerprint: success; the name holding another key: a conflict, left "
            "untouched. Exit 0 only if no region failed or conflicted.",
            (
                _NAME,
                Option("RegionId", "The region that holds the key pair.", "FROM", required=True),
                Option("to", "The regions to copy it to: R1,R2,… or all (FROM is left out).",
                       "REGIONS", required=True),
            ),
            _copy,
            f"{PROGRAM} copy --KeyPairName web-1 --RegionId cn-hangzhou --to all",
        ),
        KeyCommand(
            "fingerprint",
            "FILE [--passphrase-file FILE | --passphrase-env VAR]",
            "The MD5 fingerprint (as the API shows it) and the SHA256 fingerprint of a public key "
            "line or a private key file (pem, openssh, ppk). An encrypted pem key needs its .pub "
            "beside it, or its passphrase.",
            OPENING_PASSPHRASE_OPTIONS,
            _fingerprint,
            f"{PROGRAM} fingerprint ~/.ssh/web-1.pem",
            positional="FILE",
        ),
        KeyCommand(
            "match",
            "--RegionId REGION [--dir DIR]",
            "The region's key pairs, each with the files of DIR (default ~/.ssh) that hold its "
            "key, private or public. Reads only that folder's own files (the first 20000 "
            "entries; EntryLimitReached says when there were more), follows no link out of it, "
            "skips what it cannot read (SkippedFiles counts them, Skipped names the first 20 "
            "and why), never writes. SavedHere: the files this machine saved each key to "
            "(CreateKeyPair --save, keygen --save, the app's save) and whether each is still "
            "There or was MovedOrDeleted.",
            (
                Option("RegionId", "The region whose key pairs to match.", "REGION",
                       required=True),
                Option("dir", "The folder to look in (default ~/.ssh).", "DIR"),
            ),
            _match,
            f"{PROGRAM} match --RegionId cn-hangzhou",
        ),
        KeyCommand(
            "sync",
            "[--RegionId R1[,R2,…|all]] (--endpoint ENDPOINT | --cloud)",
            "List each region's key pairs on the endpoint (or the cloud) into this machine's "
            "mirror of them "
            "(the name check reads it; offline, the key pairs screen shows it with its age). "
            "One line per region on stderr as it answers; the summary as JSON. Exit 0 only if "
            "every region answered.",
            (Option("RegionId", "The regions to list: R1,R2,… or all (the default).", "REGIONS"),),
            _sync,
            f"{PROGRAM} sync --RegionId all --endpoint http://127.0.0.1:8080",
        ),
        KeyCommand(
            "rotate",
            "--RegionId R --KeyPairName OLD --NewKeyPairName NEW [--reboot] [--delete-old] "
            "(--save PATH [--format FORMAT] [--passphrase-file FILE | --passphrase-env VAR] | "
            "--add-to-agent [--lifetime SECONDS]) [--type TYPE] [--bits N] [--use-existing]",
            "Move every instance bound to OLD onto NEW: make NEW (CreateKeyPair, or here with "
            "--type/--bits and ImportKeyPair) and deliver its private key first (a key that "
            "cannot be delivered is deleted again), AttachKeyPair NEW, reboot the running "
            "instances with --reboot (a key pair attached takes effect at the next reboot or "
            "start), check each through DescribeInstances, and with --delete-old delete OLD once "
            "no instance holds it. NEW there already: used as it is, nothing made, when this "
            "machine saved its private key (a rerun) or with --use-existing, else refused "
            "before anything changes; "
            "the instances bound to NEW whose key in effect may not be NEW yet are taken too. "
            "One result per instance; exit 0 only if every instance moved (and OLD is gone when "
            "asked); each that did not is said on stderr.",
            (
                Option("RegionId", "The region of the key pairs and instances.", "REGION",
                       required=True),
                Option("KeyPairName", "The key pair to move the instances off (OLD).", "NAME",
                       required=True),
                Option("NewKeyPairName", "The key pair to move them onto (NEW): made unless it "
                       "exists.", "NAME", required=True),
                Option("reboot", "Reboot each running instance once NEW is attached, so that NEW "
                       "takes effect now.", flag=True),
                Option("delete-old", "Delete OLD once every instance moved and none holds it.",
                       flag=True),
                DELIVERY_OPTIONS[0],
                Option("format", "The key file's format: pem (PKCS#8; the default for a key made "
                       "by ECS), openssh (the default for one made here) or ppk.", "FORMAT",
                       choices=("pem", "openssh", "ppk")),
                *DELIVERY_OPTIONS[2:],
                Option("type", "Make NEW here instead, of this type: ed25519, rsa or ecdsa.",
                       "TYPE", choices=("ed25519", "rsa", "ecdsa")),
                Option("bits", "With a key made here: rsa 2048 to 4096, ecdsa 256, 384 or 521.",
                       "N", integer=True, unit="bits"),
                Option("use-existing", "NEW exists already and you hold its private key: use "
                       "it. Without this an existing NEW is used only when this machine saved "
                       "its key (a rerun); otherwise nothing is changed, since instances moved "
                       "to a key nobody here holds are locked out. Needs no --save.",
                       flag=True),
            ),
            _rotate,
            f"{PROGRAM} rotate --RegionId cn-hangzhou --KeyPairName web-1 --NewKeyPairName web-2 "
            "--save ~/.ssh/web-2.pem --reboot --delete-old",
        ),
    )
}


def command_help(command: KeyCommand) -> str:
    import textwrap

    output_usage = " ".join(f"[{term}]" for term, _ in OUTPUT_HELP)
    usage = textwrap.fill(
        f"{PROGRAM} {command.name} {command.usage} {output_usage}", WIDTH, initial_indent="Usage: ",
        subsequent_indent=" " * 7, break_on_hyphens=False,
    )
    entries = [help_entry(command.positional, "Required. The key file to read.")] if (
        command.positional
    ) else []
    for option in command.options:
        term = f"--{option.name}" if option.flag else f"--{option.name} {option.metavar}"
        entries.append(help_entry(term, f"{'Required. ' if option.required else ''}{option.help}"))
    entries += [help_entry(term, text) for term, text in OUTPUT_HELP]
    return (
        f"{usage}\n\n{textwrap.fill(command.summary, WIDTH)}\n\nParameters:\n"
        + "\n".join(entries)
        + f"\n\nExample:\n  {command.example}\n"
    )


def run_key_command(
    name: str, args: Sequence[str], target: Target, shown: Conventions
) -> int:
    """Run the local command ``name`` (its line without the aliyun options, read into
    ``shown``); the exit status."""
    command = KEY_COMMAND_TABLE[name]
    if any(arg in ("--help", "-h") for arg in args):
        from ecs_keypair.cli.output import deliver

        return deliver(command_help(command))
    try:
        other = shown.beyond_output()
        if other is not None:
            raise UsageError(f"{other} is not taken by {name}: of the aliyun CLI's options it "
                             f"takes {' and '.join(OUTPUT_OPTIONS)}")
        found, rest = read_options(args, command.options, name)
        if rest and not command.positional:
            raise UsageError(f"unexpected argument {rest[0]!r} for {name}")
        return command.run(found, rest, target, shown)
    except UsageError as exc:
        from ecs_keypair.contract.text_safety import visible  # the message may quote any argument

        sys.stderr.write(f"{PROGRAM}: {visible(str(exc))}\nTry '{PROGRAM} {name} --help'.\n")
        return EXIT_USAGE
