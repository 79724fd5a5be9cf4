"""``ecs-keypair completion bash|zsh``: the scripts loaded into a real bash and a real zsh, and
asked what they complete (bash through COMP_WORDS, as readline calls it; zsh through its
completion function, with compadd, compset, _files and _parameters standing in for the completion
system's own). File names are also completed for real, by each shell on a pseudo-terminal."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from ecs_keypair.cli.command_line import LOCAL_COMMAND_NAMES
from ecs_keypair.cli.command_view import command_infos
from ecs_keypair.cli.completion import VALUES_BY_METAVAR
from ecs_keypair.cli.key_commands import KEY_COMMAND_TABLE as KEY_COMMANDS
from ecs_keypair.cli.key_options import DELIVERY_OPTIONS
from ecs_keypair.cli.local_commands import LOCAL_OPTIONS
from ecs_keypair.contract.regions import REGIONS

from tests.conftest import require_tool
from tests.support.cli import run_module
from tests.support.shell_terminal import ShellOnTerminal

PROBE_VARIABLE = "ECS_KEYPAIR_PROBE_PASSPHRASE"

BASH_PROBE = """
source "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=()
_ecs_keypair
printf '%s\\n' "${COMPREPLY[@]}"
"""
ZSH_PROBE = """
compdef() { : }
compset() {
  [[ $1 == -P ]] || return 0
  local taken=${(M)PREFIX##${~2}}
  [[ -n $taken ]] || return 1
  IPREFIX+=$taken; PREFIX=${PREFIX:${#taken}}
}
compadd() {
  while (( $# )); do [[ $1 == -- ]] && { shift; break }; [[ $1 == -S ]] && shift; shift; done
  local match; for match in "$@"; do [[ $match == ${PREFIX}* ]] && print -r -- $match; done
  return 0
}
_files() {
  if [[ $1 == -/ ]]; then compadd -- ${PREFIX}*(N-/); else compadd -- ${PREFIX}*(N); fi
}
_parameters() {
  local name pattern=${2:-*}
  for name in ${(k)parameters}; do
    [[ ${parameters[$name]} == ${~pattern} ]] && compadd -- $name
  done
  return 0
}
source "$1"; shift
words=("$@"); CURRENT=$#words; PREFIX=${words[CURRENT]}; IPREFIX=""
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


def complete(shell: str, script: Path, *words: str, cwd: Path | None = None) -> list[str]:
    require_tool(shell)
    probe = BASH_PROBE if shell == "bash" else ZSH_PROBE
    flags = ["--norc", "--noprofile"] if shell == "bash" else ["-f"]
    done = subprocess.run(
        [shell, *flags, "-c", probe, shell, str(script), "ecs-keypair", *words],
        capture_output=True, text=True, timeout=60, check=False, cwd=cwd,
        env={**os.environ, PROBE_VARIABLE: "1"},
    )
    assert (done.returncode, done.stderr) == (0, "")
    return done.stdout.split()


@pytest.mark.system
@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_commands_parameters_and_regions(shell: str, scripts: dict[str, Path]) -> None:
    script = scripts[shell]
    assert complete(shell, script, "Desc") == [
        "DescribeKeyPairs", "DescribeRegions", "DescribeInstances"
    ]
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


def declared_options() -> dict[str, list[str]]:
    """Every command's options, read from the declarations the commands parse their lines with."""
    declared = {
        info.name: [f"--{name}" for name in info.parameters if ".N" not in name]
        for info in command_infos().values()
    }
    declared["CreateKeyPair"] += [f"--{option.name}" for option in DELIVERY_OPTIONS]
    for command in KEY_COMMANDS.values():
        declared[command.name] = [f"--{option.name}" for option in command.options]
    for name, options in LOCAL_OPTIONS.items():
        declared[name] = [f"--{option.name}" for option in options]
    return declared


def test_every_command_the_program_runs_has_declared_options() -> None:
    commands = {*command_infos(), *KEY_COMMANDS, *LOCAL_COMMAND_NAMES}
    assert set(declared_options()) == commands


def test_every_declared_value_is_known_to_completion() -> None:
    """A new option's value (its metavar) must be told apart: a path, a region, a name…"""
    options = [
        *DELIVERY_OPTIONS,
        *(option for command in KEY_COMMANDS.values() for option in command.options),
        *(option for options in LOCAL_OPTIONS.values() for option in options),
    ]
    metavars = {option.metavar for option in options if not option.flag and not option.choices}
    positionals = {command.positional for command in KEY_COMMANDS.values() if command.positional}
    assert metavars | positionals <= set(VALUES_BY_METAVAR)


@pytest.mark.system
@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_every_declared_option_of_every_command_is_offered(
    shell: str, scripts: dict[str, Path]
) -> None:
    declared = declared_options()
    assert set(declared) | {"completion"} <= set(complete(shell, scripts[shell], ""))
    for command, options in declared.items():
        offered = complete(shell, scripts[shell], command, "--")
        assert set(options) <= set(offered), command
        assert "--help" in offered, command


@pytest.mark.system
@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_the_key_commands_offer_their_options(shell: str, scripts: dict[str, Path]) -> None:
    script = scripts[shell]
    keygen = complete(shell, script, "keygen", "--KeyPairName", "laptop", "--")
    assert {"--RegionId", "--save", "--type", "--bits", "--format", "--passphrase-file",
            "--passphrase-env", "--add-to-agent", "--lifetime", "--skip-existing",
            "--endpoint", "--cloud"} <= set(keygen)
    assert "--KeyPairName" not in keygen  # given already
    assert set(complete(shell, script, "copy", "--")) >= {"--KeyPairName", "--RegionId", "--to"}
    assert set(complete(shell, script, "match", "--")) >= {"--RegionId", "--dir"}
    assert complete(shell, script, "fingerprint", "--pass") == [
        "--passphrase-file", "--passphrase-env"
    ]
    delivery = complete(shell, script, "CreateKeyPair", "--RegionId", "cn-hangzhou", "--")
    assert {"--save", "--format", "--passphrase-file", "--passphrase-env", "--add-to-agent",
            "--lifetime", "--KeyPairName", "--Tag.1.Key"} <= set(delivery)


@pytest.mark.system
@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_the_key_commands_offer_output_and_cli_query(shell: str, scripts: dict[str, Path]) -> None:
    script = scripts[shell]
    for command in KEY_COMMANDS:
        offered = complete(shell, script, command, "--")
        assert {"--output", "--cli-query"} <= set(offered), command
        assert not {"--pager", "--cli-dry-run", "--region"} & set(offered), command
        assert complete(shell, script, command, "--output", "") == ["cols=", "rows=", "num=true"]
        assert complete(shell, script, command, "--cli-query", "") == []  # an expression


@pytest.mark.system
@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_fingerprint_offers_its_file_after_the_output_fields(
    shell: str, scripts: dict[str, Path], folder: Path
) -> None:
    """rows= and num= follow --output's cols= without an option before them: they are not the
    FILE. bash gets the words as readline splits them, at "=", ":" and "@" (a run of them is
    one word)."""
    fields: tuple[str, ...] = ("cols=name:0,fp:1", "rows=@", "num=true")
    if shell == "bash":
        fields = ("cols", "=", "name", ":", "0,fp", ":", "1", "rows", "=@", "num", "=", "true")
    words = ("fingerprint", "--output", *fields, "w")
    assert complete(shell, scripts[shell], *words, cwd=folder) == ["web-1.pem"]
    assert complete(shell, scripts[shell], *words[:-1], "x.pem", "w", cwd=folder) == []


@pytest.mark.system
@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_values_come_from_each_options_choices(shell: str, scripts: dict[str, Path]) -> None:
    script = scripts[shell]
    assert complete(shell, script, "keygen", "--format", "") == ["pem", "openssh", "ppk"]
    assert complete(shell, script, "CreateKeyPair", "--format", "") == ["pem", "openssh", "ppk"]
    assert complete(shell, script, "keygen", "--type", "") == ["ed25519", "rsa", "ecdsa"]
    assert complete(shell, script, "UpdateAccessKey", "--Status", "") == ["Active", "Inactive"]
    regions = [region.region_id for region in REGIONS]
    assert complete(shell, script, "copy", "--to", "") == [*regions, "all"]
    assert complete(shell, script, "keygen", "--RegionId", "") == [*regions, "all"]
    assert complete(shell, script, "match", "--RegionId", "") == regions
    assert complete(shell, script, "copy", "--KeyPairName", "") == []  # a name: nothing to guess


@pytest.mark.system
@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_a_list_of_regions_completes_after_its_last_comma(
    shell: str, scripts: dict[str, Path]
) -> None:
    offered = complete(shell, scripts[shell], "copy", "--to", "cn-hangzhou,cn-sha")
    # bash replaces the whole word; zsh keeps what stands before the comma and adds the rest
    expected = "cn-hangzhou,cn-shanghai" if shell == "bash" else "cn-shanghai"
    assert offered == [expected]


@pytest.mark.system
@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_serve_and_the_access_key_commands(shell: str, scripts: dict[str, Path]) -> None:
    script = scripts[shell]
    assert set(complete(shell, script, "serve", "--")) == {"--host", "--port", "--help"}
    assert complete(shell, script, "serve", "--port", "") == []
    update = complete(shell, script, "UpdateAccessKey", "--UserAccessKeyId", "LTAIx", "--")
    assert set(update) == {"--Status", "--help"}
    assert set(complete(shell, script, "DeleteAccessKey", "--")) == {"--UserAccessKeyId", "--help"}


@pytest.mark.system
@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_a_flag_takes_no_value(shell: str, scripts: dict[str, Path]) -> None:
    script = scripts[shell]
    after_flag = complete(shell, script, "keygen", "--add-to-agent", "--")
    assert "--lifetime" in after_flag and "--add-to-agent" not in after_flag
    assert "--save" in complete(shell, script, "keygen", "--skip-existing", "--")
    assert "--format" in complete(shell, script, "CreateKeyPair", "--add-to-agent", "--")


@pytest.mark.system
@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_passphrase_env_completes_exported_variable_names(
    shell: str, scripts: dict[str, Path]
) -> None:
    script = scripts[shell]
    offered = complete(shell, script, "CreateKeyPair", "--passphrase-env", PROBE_VARIABLE[:-3])
    assert offered == [PROBE_VARIABLE]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder of key files and one of keys: what file-name completion is asked about."""
    made = tmp_path / "here"
    (made / "keys").mkdir(parents=True)
    (made / "keys" / "old.pem").write_text("")
    (made / "web-1.pem").write_text("")
    (made / "kept.pem").write_text("")
    return made


@pytest.mark.system
@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_file_names_where_a_path_is_expected(
    shell: str, scripts: dict[str, Path], folder: Path
) -> None:
    script = scripts[shell]
    everything = ["kept.pem", "keys", "web-1.pem"]
    assert sorted(complete(shell, script, "CreateKeyPair", "--save", "", cwd=folder)) == everything
    assert sorted(complete(shell, script, "keygen", "--save", "k", cwd=folder)) == everything[:2]
    assert sorted(complete(shell, script, "fingerprint", "", cwd=folder)) == everything
    assert complete(shell, script, "fingerprint", "w", cwd=folder) == ["web-1.pem"]
    assert complete(shell, script, "fingerprint", "--passphrase-file", "w", cwd=folder) == [
        "web-1.pem"
    ]
    assert complete(shell, script, "match", "--dir", "", cwd=folder) == ["keys"]
    # the FILE is given: what is left are the options
    rest = complete(shell, script, "fingerprint", "web-1.pem", "", cwd=folder)
    assert "--passphrase-file" in rest and "web-1.pem" not in rest


@pytest.mark.system
def test_file_names_after_an_equals_sign(scripts: dict[str, Path], folder: Path) -> None:
    assert complete("bash", scripts["bash"], "keygen", "--save", "=", "w", cwd=folder) == [
        "web-1.pem"
    ]
    assert complete("zsh", scripts["zsh"], "keygen", "--save=w", cwd=folder) == ["web-1.pem"]
    after = complete("bash", scripts["bash"], "fingerprint", "--passphrase-file", "=", "w", "",
                     cwd=folder)
    assert sorted(after) == ["kept.pem", "keys", "web-1.pem"]  # w was the file, not the FILE


@pytest.mark.system
@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_the_shell_itself_completes_names_file_names_and_folder_names(
    shell: str, scripts: dict[str, Path], folder: Path
) -> None:
    require_tool(shell)
    terminal = ShellOnTerminal(shell, scripts[shell], folder)
    try:
        assert terminal.ran("ecs-keypair fingerprint w\t") == "fingerprint web-1.pem"
        # only the folder is offered, so it is inserted; zsh takes its slash off again at Enter
        typed = "keys/" if shell == "bash" else "keys"
        assert terminal.ran("ecs-keypair match --dir k\t") == f"match --dir {typed}"
        assert terminal.ran("ecs-keypair CreateKeyPair --save keys/\t") == (
            "CreateKeyPair --save keys/old.pem"
        )
        (folder / "my key.pem").write_text("")
        assert terminal.ran("ecs-keypair fingerprint my\\ \t") == "fingerprint my key.pem"
        assert terminal.ran('ecs-keypair keygen --save="my\t') == "keygen --save=my key.pem"
        assert terminal.ran("ecs-keypair copy --to cn-hangzhou,cn-sha\t") == (
            "copy --to cn-hangzhou,cn-shanghai"
        )
        assert terminal.ran("ecs-keypair CreateKeyPair --passphrase-env HO\t") == (
            "CreateKeyPair --passphrase-env HOME"
        )
    finally:
        terminal.close()
