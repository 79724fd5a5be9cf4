"""The command line as real processes: ``python3 -m ecs_keypair``, the installed ``ecs-keypair``
script, what importing it costs, and how it behaves at the edges of a process (pipes, encodings)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require_tool
from tests.support.cli import (
    REGION,
    REPO,
    modules_loaded_after,
    run_module,
    run_process,
)


def test_module_create_then_describe_in_another_process(home: Path) -> None:
    created = run_module(
        "CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-1", "--Tag.1.Key=env"
    ).body
    listed = run_module("DescribeKeyPairs", "--RegionId", REGION, "--KeyPairName", "web*").body
    assert listed["TotalCount"] == 1
    assert listed["KeyPairs"]["KeyPair"][0]["KeyPairFingerPrint"] == created["KeyPairFingerPrint"]


def test_module_error_and_usage_statuses(home: Path) -> None:
    run_module("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-1").ok()
    error = run_module("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-1").error
    assert error["Code"] == "KeyPair.AlreadyExist"
    assert "missing required parameter" in run_module("CreateKeyPair").usage


@pytest.mark.system
def test_installed_script(home: Path) -> None:
    require_tool("ecs-keypair")
    version = run_process(["ecs-keypair", "--version"])
    assert (version.status, version.out.split()[0]) == (0, "ecs-keypair")
    created = run_process(
        ["ecs-keypair", "CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-1"]
    ).body
    assert created["KeyPairName"] == "web-1"
    assert run_process(["ecs-keypair", "DescribeRegions"]).body["Regions"]["Region"]
    error = run_process(["ecs-keypair", "DescribeKeyPairs", "--RegionId", "mars"]).error
    assert error["Code"] == "InvalidRegionId.NotFound"
    assert "unknown command" in run_process(["ecs-keypair", "Nope"]).usage
    assert "no command starts the TUI" in run_process(["ecs-keypair", "--help"]).out


@pytest.mark.system
def test_openssh_reads_the_printed_private_key(home: Path, tmp_path: Path) -> None:
    require_tool("ssh-keygen")
    created = run_module("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-1").body
    key_file = tmp_path / "web-1.pem"
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(created["PrivateKeyBody"])
    public = subprocess.run(
        ["ssh-keygen", "-y", "-f", key_file], check=True, capture_output=True, text=True
    ).stdout.strip()
    described = run_module("DescribeKeyPairs", "--RegionId", REGION, "--IncludePublicKey=true")
    listed = described.body["KeyPairs"]["KeyPair"]
    assert listed[0]["PublicKey"] == public


# What a command never needs: the TUI, serve's server, the SDKs, the key workflows, the query
# language and argparse's help machinery are imported only by the commands that use them.
NOT_FOR_COMMANDS = (
    "textual",
    "aiohttp",
    "aliyunsdkcore",
    "aliyunsdkecs",
    "alibabacloud_ecs20140526",
    "jmespath",
    "argparse",
    "ecs_keypair.tui",
    "ecs_keypair.server",
    "ecs_keypair.remote",
    "ecs_keypair.workflows.key_workflows",
)


@pytest.mark.parametrize(
    "code",
    [
        "import ecs_keypair.cli",
        "from ecs_keypair.cli import main; main(['DescribeRegions'])",
        "from ecs_keypair.cli import main; main(['--help'])",
        "from ecs_keypair.cli import main; main(['CreateKeyPair', '--RegionId', 'cn-hangzhou', "
        "'--KeyPairName', 'imports-1'])",
    ],
)
def test_the_command_line_does_not_import_what_it_does_not_use(home: Path, code: str) -> None:
    assert modules_loaded_after(code, NOT_FOR_COMMANDS) == []


# The action table names each action's request type; its module loads when the action is read.
# Help, usage and the table's names need none of the requests or results, and a key pair action
# none of the instances' requests.
NOT_FOR_THE_TABLE = (
    "ecs_keypair.contract.api_requests",
    "ecs_keypair.contract.instance_requests",
    "ecs_keypair.contract.results",
    "ecs_keypair.contract.instance_results",
)


@pytest.mark.parametrize(
    ("code", "loaded"),
    [
        ("from ecs_keypair.contract.actions import ACTIONS", []),
        ("from ecs_keypair.cli import main; main(['--help'])", []),
        ("from ecs_keypair.cli import main; main(['CreateKeyPair', '--help'])", []),
        ("from ecs_keypair.cli import main; main(['CreateKeyPair', '--Nope', 'x'])", []),
        (
            "from ecs_keypair.cli import main; main(['CreateKeyPair', '--RegionId', "
            "'cn-hangzhou', '--KeyPairName', 'imports-2'])",
            [
                "ecs_keypair.contract.api_requests",
                "ecs_keypair.contract.instance_results",  # the local store's instance half
                "ecs_keypair.contract.results",
            ],
        ),
    ],
)
def test_the_table_loads_an_actions_types_when_the_action_is_read(
    home: Path, code: str, loaded: list[str]
) -> None:
    assert sorted(modules_loaded_after(code, NOT_FOR_THE_TABLE)) == loaded


def test_a_closed_pipe_is_quiet(home: Path) -> None:
    """``ecs-keypair DescribeRegions | head -c0``: the reader is gone before anything is written."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "ecs_keypair", "DescribeRegions"],
            cwd=REPO,
            stdout=write_end,
            stderr=subprocess.PIPE,
            check=False,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert completed.returncode == 141
    assert completed.stderr == b""


def test_a_stdout_that_cannot_encode_gets_escaped_json(home: Path) -> None:
    outcome = run_module(
        "CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "密钥-1", PYTHONIOENCODING="ascii"
    )
    assert outcome.out.isascii()
    assert "\\u5bc6" in outcome.out
    assert outcome.body["KeyPairName"] == "密钥-1"
