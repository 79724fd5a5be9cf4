"""``ecs-keypair completion bash|zsh``: the scripts loaded into a real bash and a real zsh, and
asked what they complete (bash through COMP_WORDS, as readline calls it; zsh through its
completion function, with compadd recording what it is given)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from tests.support.cli import run_module

from app.cli.command_view import command_infos
from tests.conftest import require_tool

BASH_PROBE = """
source "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=()
_ecs_keypair
printf '%s\\n' "${COMPREPLY[@]}"
"""
ZSH_PROBE = """
compdef() { : }
compset() { return 0 }
compadd() {
  while (( $# )); do [[ $1 == -- ]] && { shift; break }; [[ $1 == -S ]] && shift; shift; done
  local match; for match in "$@"; do [[ $match == ${PREFIX}* ]] && print -r -- $match; done
  return 0
}
source "$1"; shift
words=("$@"); CURRENT=$#words; PREFIX=${words[CURRENT]#*=}
_ecs_keypair
"""


@pytest.fixture(scope="module")
def scripts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("completion")
    made = {}
    for shell in ("bash", "zsh"):
        outcome = run_module("completion", shell)
        assert (outcome.status, outcome.err) == (0, "")
        made[shell] = folder / f"ecs-keypair.{shell}"
        made[shell].write_text(outcome.out)
    return made


def complete(shell: str, script: Path, *words: str) -> list[str]:
    require_tool(shell)
    probe = BASH_PROBE if shell == "bash" else ZSH_PROBE
    flags = ["--norc", "--noprofile"] if shell == "bash" else ["-f"]
    done = subprocess.run(
        [shell, *flags, "-c", probe, shell, str(script), "ecs-keypair", *words],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    return done.stdout.split()


@pytest.mark.system
@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_commands_parameters_and_regions(shell: str, scripts: dict[str, Path]) -> None:
    script = scripts[shell]
    assert complete(shell, script, "Desc") == ["DescribeKeyPairs", "DescribeRegions"]
    options = complete(shell, script, "DescribeKeyPairs", "--RegionId", "cn-hangzhou", "--")
    assert "--KeyPairName" in options and "--PageSize" in options and "--pager" in options
    assert "--RegionId" not in options  # given already
    assert "--Tag.1.Key" in options
    hangzhou = ["cn-huhehaote", "cn-hangzhou", "cn-heyuan", "cn-hongkong"]
    assert complete(shell, script, "CreateKeyPair", "--RegionId", "cn-h") == hangzhou
    europe = complete(shell, script, "DescribeKeyPairs", "--region", "eu-")
    assert europe == ["eu-central-1", "eu-west-1"]
    assert complete(shell, script, "completion", "") == ["bash", "zsh"]


@pytest.mark.system
def test_bash_completes_after_an_equals_sign_and_numbers_the_next_tag(scripts) -> None:
    # readline splits --RegionId=cn-b at "=", so the words arrive as three
    assert complete("bash", scripts["bash"], "DeleteKeyPairs", "--RegionId", "=", "cn-b") == [
        "cn-beijing"
    ]
    tags = complete("bash", scripts["bash"], "CreateKeyPair", "--Tag.1.Key", "env", "--Tag")
    assert tags == ["--Tag.2.Key", "--Tag.1.Value"]


@pytest.mark.system
def test_zsh_completes_after_an_equals_sign(scripts) -> None:
    assert complete("zsh", scripts["zsh"], "DeleteKeyPairs", "--RegionId=cn-b") == ["cn-beijing"]


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_every_command_and_parameter_of_the_table_is_in_the_script(
    shell: str, scripts: dict[str, Path]
) -> None:
    text = scripts[shell].read_text()
    for info in command_infos().values():
        assert f"{info.name})" in text
        for name in info.parameters:
            if ".N" not in name:
                assert f"--{name}" in text


def test_a_shell_it_does_not_know() -> None:
    outcome = run_module("completion", "fish")
    assert outcome.status == 2 and "usage: ecs-keypair completion bash|zsh" in outcome.err


@pytest.mark.system
def test_the_documented_installs_register_it(scripts, tmp_path: Path) -> None:
    require_tool("bash", "zsh")
    bash = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c",
         f'eval "$(cat {scripts["bash"]})"; complete -p ecs-keypair'],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert bash.stdout.strip() == "complete -F _ecs_keypair ecs-keypair"
    functions = tmp_path / "zsh-functions"
    functions.mkdir()
    (functions / "_ecs-keypair").write_text(scripts["zsh"].read_text())  # the fpath install
    zsh = subprocess.run(
        ["zsh", "-f", "-c", f"fpath=({functions} $fpath); autoload -Uz compinit; "
         f"compinit -D; print -r -- $_comps[ecs-keypair]"],
        capture_output=True, text=True, timeout=60, check=False, env={"HOME": str(tmp_path)},
    )
    assert (zsh.stdout.strip(), zsh.stderr) == ("_ecs-keypair", "")
    evaluated = subprocess.run(
        ["zsh", "-f", "-c", f'autoload -Uz compinit; compinit -D; eval "$(cat {scripts["zsh"]})"; '
         "print -r -- $_comps[ecs-keypair]"],
        capture_output=True, text=True, timeout=60, check=False, env={"HOME": str(tmp_path)},
    )
    assert (evaluated.stdout.strip(), evaluated.stderr) == ("_ecs_keypair", "")
