"""The command line's key delivery and local key commands, in-process (one real process at the
end): CreateKeyPair --save/--add-to-agent, keygen, copy, fingerprint, match."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from ecs_keypair.contract.errors import ApiException, key_file_write_failed
from ecs_keypair.keys.key_formats import load_private_key, public_key_of
from ecs_keypair.workflows import key_workflows

from tests.conftest import require_tool
from tests.support.cli import REGION, error_and_reason, run_module
from tests.support.tools import agent_listing, running_ssh_agent

OTHER = "cn-beijing"
PASSPHRASE = "a long passphrase"


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Path:
    path = tmp_path / "pass"
    path.write_text(PASSPHRASE + "\n")
    return path


def _names(cli, region: str = REGION) -> list[str]:
    listed = cli("DescribeKeyPairs", "--RegionId", region).body
    return [item["KeyPairName"] for item in listed["KeyPairs"]["KeyPair"]]


def test_create_and_save_encrypted(cli, tmp_path: Path, passphrase_file: Path) -> None:
    path = tmp_path / "keys" / "web-1"
    outcome = cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-1",
                  "--save", str(path), "--format", "openssh", "--passphrase-file",
                  str(passphrase_file))
    body = outcome.body
    assert "PrivateKeyBody" not in body and "PRIVATE KEY" not in outcome.out
    assert PASSPHRASE not in outcome.out + outcome.err
    assert body["PrivateKeyFile"] == str(path) and body["Encrypted"] is True
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = load_private_key(path.read_bytes(), PASSPHRASE.encode())
    assert public_key_of(key).md5_fingerprint == body["KeyPairFingerPrint"]
    assert Path(f"{path}.pub").read_text().endswith(" web-1\n")


def test_a_refused_save_creates_nothing(cli, tmp_path: Path) -> None:
    (tmp_path / "taken.pem.pub").write_text("mine\n")
    error = cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-1",
                "--save", str(tmp_path / "taken.pem")).error
    assert error["Code"] == "InvalidKeyFile.Path"
    assert "taken.pem.pub" in error["Message"]
    assert _names(cli) == []


def test_a_save_that_fails_after_create_undoes_it(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*args: object, **kwargs: object) -> None:
        raise ApiException(key_file_write_failed(str(tmp_path / "k"), "the disk is full"))

    monkeypatch.setattr(key_workflows, "save_key", full_disk)
    error = cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-1",
                "--save", str(tmp_path / "k")).error
    assert error["Message"].endswith("the disk is full.")
    assert _names(cli) == []


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--format", "ppk"], "--format goes with --save"),
        (["--save", "k", "--format", "der"], "--format must be one of pem, openssh, ppk"),
        (["--save", "k", "--passphrase-env", "NOT_SET_ANYWHERE"], "is not set"),
        (["--save", "k", "--passphrase-file", "/nonexistent"], "cannot read /nonexistent"),
        (["--add-to-agent", "--lifetime", "soon"], "--lifetime must be a positive whole number"),
        (["--add-to-agent", "--lifetime", "0"], "--lifetime 0: must be 1 to"),
        (["--save", "k", "--lifetime", "5"], "--lifetime goes with --add-to-agent"),
        (["--save"], "--save needs a value"),
        (["--save="], "--save needs a value"),
    ],
)
def test_delivery_usage_errors_call_nothing(cli, extra: list[str], message: str) -> None:
    usage = cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-1", *extra).usage
    assert message in usage
    assert _names(cli) == []


def test_passphrase_from_both_sources_is_refused(cli, passphrase_file: Path, monkeypatch) -> None:
    monkeypatch.setenv("KEY_PASS", PASSPHRASE)
    usage = cli("keygen", "--KeyPairName", "k-1", "--RegionId", REGION, "--save", "k",
                "--passphrase-file", str(passphrase_file), "--passphrase-env", "KEY_PASS").usage
    assert "not both" in usage and PASSPHRASE not in usage


@pytest.mark.system
def test_create_and_add_to_a_real_agent(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    require_tool("ssh-agent", "ssh-add")
    with running_ssh_agent() as socket_path:
        monkeypatch.setenv("SSH_AUTH_SOCK", socket_path)
        body = cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-1",
                   "--add-to-agent", "--lifetime", "600").body
        assert body["SshAgent"] == socket_path and body["LifetimeSeconds"] == 600
        assert f"MD5:{body['KeyPairFingerPrint']} web-1 (RSA)" in agent_listing(socket_path)


def test_no_agent_keeps_the_key_pair_and_says_so(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    outcome = cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-1",
                  "--save", str(tmp_path / "k.pem"), "--add-to-agent")
    assert outcome.status == 1
    assert json.loads(outcome.out)["PrivateKeyFile"] == str(tmp_path / "k.pem")
    assert error_and_reason(outcome.err)[0]["Code"] == "SshAgent.Unavailable"
    assert _names(cli) == ["web-1"]


def test_agent_only_and_no_agent_keeps_nothing(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSH_AUTH_SOCK", "/nonexistent/agent.sock")
    error = cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-1",
                "--add-to-agent").error
    assert error["Code"] == "SshAgent.Unavailable" and "/nonexistent/agent.sock" in error["Message"]
    assert _names(cli) == []


def test_keygen_into_regions(cli, tmp_path: Path, passphrase_file: Path) -> None:
    body = cli("keygen", "--KeyPairName", "laptop", "--RegionId", f"{REGION},{OTHER}",
               "--save", str(tmp_path / "laptop.ppk"), "--format", "ppk",
               "--passphrase-file", str(passphrase_file)).body
    assert [r["Outcome"] for r in body["Regions"]] == ["Imported", "Imported"]
    assert _names(cli, OTHER) == ["laptop"]
    fingerprint = cli("fingerprint", str(tmp_path / "laptop.ppk")).body
    assert fingerprint["KeyPairFingerPrint"] == body["KeyPairFingerPrint"]
    assert fingerprint["KeyType"] == "ssh-ed25519"


def test_keygen_with_the_name_taken_in_one_region_makes_nothing(cli, tmp_path: Path) -> None:
    """A new key under a name another region holds would leave the name holding different keys
    in different regions: every region is asked first, and nothing is made or imported."""
    cli("keygen", "--KeyPairName", "laptop", "--RegionId", OTHER, "--save",
        str(tmp_path / "first")).ok()
    error = cli("keygen", "--KeyPairName", "laptop", "--RegionId", f"{REGION},{OTHER}",
                "--save", str(tmp_path / "second")).error
    assert error["Code"] == "KeyPair.AlreadyExist"
    assert not (tmp_path / "second").exists()
    assert _names(cli, REGION) == []


def test_keygen_skip_existing_imports_where_the_name_is_free(cli, tmp_path: Path) -> None:
    cli("keygen", "--KeyPairName", "laptop", "--RegionId", OTHER, "--save",
        str(tmp_path / "first")).ok()
    outcome = cli("keygen", "--KeyPairName", "laptop", "--RegionId", f"{REGION},{OTHER}",
                  "--type", "rsa", "--bits", "2048", "--save", str(tmp_path / "second"),
                  "--skip-existing")
    assert outcome.status == 1
    regions = json.loads(outcome.out)["Regions"]
    assert [(r["RegionId"], r["Outcome"]) for r in regions] == [
        (REGION, "Imported"), (OTHER, "Conflict")
    ]
    assert regions[1]["Error"]["Code"] == "KeyPair.AlreadyExist"
    assert _names(cli, REGION) == ["laptop"]


def test_keygen_refusals(cli, tmp_path: Path) -> None:
    assert cli("keygen", "--KeyPairName", "k-1", "--RegionId", REGION, "--save", "k",
               "--type", "dsa").usage.startswith("ecs-keypair: --type must be one of")
    error = cli("keygen", "--KeyPairName", "k-1", "--RegionId", REGION, "--type", "rsa",
                "--bits", "1024", "--save", str(tmp_path / "k")).error
    assert error["Code"] == "InvalidParameter"
    assert "missing required parameter --save" in cli("keygen", "--KeyPairName", "k-1",
                                                      "--RegionId", REGION).usage
    assert not (tmp_path / "k").exists() and _names(cli) == []


def test_copy_exit_status_follows_the_regions(cli, tmp_path: Path) -> None:
    cli("keygen", "--KeyPairName", "laptop", "--RegionId", REGION, "--save",
        str(tmp_path / "a")).ok()
    body = cli("copy", "--KeyPairName", "laptop", "--RegionId", REGION, "--to",
               f"{OTHER},{REGION}").body
    assert [(r["RegionId"], r["Outcome"]) for r in body["Regions"]] == [(OTHER, "Imported")]
    again = cli("copy", "--KeyPairName", "laptop", "--RegionId", REGION, "--to", OTHER).body
    assert again["Regions"][0]["Outcome"] == "AlreadyThere"
    cli("keygen", "--KeyPairName", "laptop", "--RegionId", "cn-shanghai", "--save",
        str(tmp_path / "b")).ok()
    conflict = cli("copy", "--KeyPairName", "laptop", "--RegionId", REGION, "--to",
                   "cn-shanghai,cn-qingdao")
    assert conflict.status == 1
    assert [r["Outcome"] for r in json.loads(conflict.out)["Regions"]] == ["Conflict", "Imported"]
    missing = cli("copy", "--KeyPairName", "ghost", "--RegionId", REGION, "--to", OTHER).error
    assert missing["Code"] == "InvalidKeyPairName.NotFound"


def test_fingerprint_errors(cli, tmp_path: Path) -> None:
    assert "missing FILE" in cli("fingerprint").usage
    missing = tmp_path / "nothing"
    outcome = cli("fingerprint", str(missing))
    assert (outcome.status, outcome.out) == (1, "")
    assert outcome.err == f"ecs-keypair: fingerprint: {missing}: No such file or directory\n"


def test_match_lists_local_files(cli, tmp_path: Path) -> None:
    folder = tmp_path / "ssh"
    cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-1", "--save",
        str(folder / "web-1.pem")).ok()
    cli("ImportKeyPair", "--RegionId", REGION, "--KeyPairName", "elsewhere", "--PublicKeyBody",
        (folder / "web-1.pem.pub").read_text()).ok()
    cli("keygen", "--KeyPairName", "away", "--RegionId", REGION, "--save",
        str(tmp_path / "away")).ok()
    body = cli("match", "--RegionId", REGION, "--dir", str(folder)).body
    files = {
        entry["KeyPairName"]: [f["Path"] for f in entry["Files"]] for entry in body["KeyPairs"]
    }
    assert files == {
        "web-1": [str(folder / "web-1.pem"), str(folder / "web-1.pem.pub")],
        "elsewhere": [str(folder / "web-1.pem"), str(folder / "web-1.pem.pub")],
        "away": [],
    }


@pytest.mark.parametrize("command", ["keygen", "copy", "fingerprint", "match"])
def test_each_command_has_help(cli, command: str) -> None:
    outcome = cli(command, "--help")
    assert outcome.status == 0 and outcome.out.startswith(f"Usage: ecs-keypair {command}")
    assert "Example:" in outcome.out


def test_fingerprints_passphrase_opens_the_key(cli) -> None:
    """fingerprint reads a key: its passphrase options open it, they encrypt nothing."""
    help_text = " ".join(cli("fingerprint", "--help").out.split())
    assert "Encrypt" not in help_text
    assert "--passphrase-file FILE Open an encrypted key with the first line of FILE" in help_text
    assert "--passphrase-env VAR Open an encrypted key with the value of the environment" in (
        help_text
    )


def test_keygen_fingerprint_match_as_real_processes(home: Path, tmp_path: Path) -> None:
    env = {"KEY_PASS": PASSPHRASE}
    made = run_module("keygen", "--KeyPairName", "proc-1", "--RegionId", REGION, "--save",
                      str(tmp_path / "proc-1"), "--passphrase-env", "KEY_PASS", **env).body
    printed = run_module("fingerprint", str(tmp_path / "proc-1"), "--passphrase-env",
                         "KEY_PASS", **env).body
    assert printed["KeyPairFingerPrint"] == made["KeyPairFingerPrint"]
    matched = run_module("match", "--RegionId", REGION, "--dir", str(tmp_path)).body
    assert matched["KeyPairs"][0]["PrivateKeyOnThisMachine"] is True
    assert os.stat(tmp_path / "proc-1").st_mode & 0o077 == 0
