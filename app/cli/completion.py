"""``ecs-keypair completion bash|zsh``: a shell completion script, generated from the command table
(through :mod:`app.cli.command_view`) and the regions the engine knows, so it never lists a command
or a parameter the program does not have.

It completes the commands, each command's parameters (those not given yet; ``--Tag.N.Key`` with
the next N), the global options, region ids after ``--RegionId`` and ``--region``, and a
parameter's values where the table knows them.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable, Sequence

from app.cli.command_view import TAG_OPTIONS, CommandInfo, command_infos
from app.cli.conventions import FLAGS, GLOBAL_OPTIONS, HELP_FLAGS, OUTPUT, PROGRAM
from app.cli.output import deliver

SHELLS = ("bash", "zsh")
OUTPUT_FIELDS_OFFERED = ("cols=", "rows=", "num=true")
FUNCTION = "_ecs_keypair"
USAGE = f'usage: {PROGRAM} completion bash|zsh (for example: eval "$({PROGRAM} completion bash)")\n'


def completion_main(args: Sequence[str]) -> int:
    if list(args) in (["--help"], ["-h"]):
        return deliver(USAGE)
    if len(args) != 1 or args[0] not in SHELLS:
        sys.stderr.write(f"{PROGRAM}: {USAGE}")
        return 2
    return deliver(bash_script() if args[0] == "bash" else zsh_script())


def _words(items: Sequence[str]) -> str:
    return " ".join(shlex.quote(item) for item in items)


def _bash_list(items: Sequence[str]) -> str:
    return shlex.quote(" ".join(items))


def _zsh_list(items: Sequence[str]) -> str:
    return f"({_words(items)})"


def _case_arms(
    infos: Sequence[CommandInfo], indent: str, listed: Callable[[Sequence[str]], str]
) -> tuple[str, str]:
    """The shell's ``case`` arms: per command, its options, its numbered lists and whether it
    takes tags; per ``command:--parameter``, the values it takes."""
    options = "\n".join(
        f"{indent}{info.name}) options={listed(_options(info))}; "
        f"numbered={listed(_numbered(info))}; "
        f"tags={1 if TAG_OPTIONS[0] in info.parameters else 0};;"
        for info in infos
    )
    choices = "\n".join(
        f"        {info.name}:--{name}) values={listed(values)};;"
        for info in infos
        for name, values in info.choices
    )
    return options, choices


def _options(info: CommandInfo) -> list[str]:
    """The command's own options, without the numbered ones (offered with their next N)."""
    return [f"--{name}" for name in info.parameters if ".N" not in name]


def _numbered(info: CommandInfo) -> list[str]:
    """The numbered lists other than tags (``ResourceId`` of ``ResourceId.N``)."""
    return [name.removesuffix(".N") for name in info.parameters if name.endswith(".N")]


def _data() -> tuple[list[str], list[str], list[str], list[CommandInfo]]:
    from app.cli.key_options import KEY_COMMANDS
    from app.cli.main import BACKEND_OPTIONS
    from app.engine.regions import REGIONS
    from app.server.command import LOCAL_COMMANDS

    infos = list(command_infos().values())
    commands = [info.name for info in infos] + [*KEY_COMMANDS, *LOCAL_COMMANDS, "completion"]
    globals_ = [f"--{name}" for name in BACKEND_OPTIONS] + [*GLOBAL_OPTIONS, HELP_FLAGS[0]]
    return commands, globals_, [region.region_id for region in REGIONS], infos


def bash_script() -> str:
    commands, globals_, regions, infos = _data()
    option_arms, choice_arms = _case_arms(infos, "        ", _bash_list)
    return f"""\
# bash completion for {PROGRAM}, written by '{PROGRAM} completion bash'. Install:
#   {PROGRAM} completion bash > ~/.local/share/bash-completion/completions/{PROGRAM}
# or add to ~/.bashrc:  eval "$({PROGRAM} completion bash)"
{FUNCTION}() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="" word command="" options="" values="" tags=0
    local numbered="" list
    local commands={shlex.quote(' '.join(commands))}
    local globals={shlex.quote(' '.join(globals_))}
    local regions={shlex.quote(' '.join(regions))}
    (( COMP_CWORD > 0 )) && prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    if [[ $cur == "=" ]]; then
        cur=""
    elif [[ $prev == "=" ]] && (( COMP_CWORD > 1 )); then
        prev="${{COMP_WORDS[COMP_CWORD-2]}}"
    fi
    for word in "${{COMP_WORDS[@]:1:COMP_CWORD-1}}"; do
        if [[ " $commands " == *" $word "* ]]; then command="$word"; break; fi
    done
    case "$prev" in
        --RegionId|--region) COMPREPLY=( $(compgen -W "$regions" -- "$cur") ); return 0;;
        {OUTPUT})
            COMPREPLY=( $(compgen -W {shlex.quote(' '.join(OUTPUT_FIELDS_OFFERED))} -- "$cur") )
            compopt -o nospace 2>/dev/null; return 0;;
        {'|'.join(FLAGS)}|{HELP_FLAGS[0]}) ;;
        --*)
            case "$command:$prev" in
{choice_arms or '        ___never___) ;;'}
            esac
            COMPREPLY=( $(compgen -W "$values" -- "$cur") ); return 0;;
    esac
    if [[ -z $command ]]; then
        COMPREPLY=( $(compgen -W "$commands $globals" -- "$cur") ); return 0
    fi
    case "$command" in
{option_arms}
        completion)
            COMPREPLY=( $(compgen -W {shlex.quote(' '.join(SHELLS))} -- "$cur") ); return 0;;
        *) return 0;;
    esac
    local offered="" option count=0
    for option in $options $globals; do
        [[ " ${{COMP_WORDS[*]}} " == *" $option "* ]] || offered+=" $option"
    done
    for list in $numbered; do
        count=0
        for word in "${{COMP_WORDS[@]}}"; do [[ $word == --$list.* ]] && (( count++ )); done
        offered+=" --$list.$(( count + 1 ))"
    done
    count=0
    if (( tags )); then
        for word in "${{COMP_WORDS[@]}}"; do [[ $word == --Tag.*.Key ]] && (( count++ )); done
        offered+=" --Tag.$(( count + 1 )).Key"
        (( count > 0 )) && [[ " ${{COMP_WORDS[*]}} " != *" --Tag.$count.Value "* ]] \\
            && offered+=" --Tag.$count.Value"
    fi
    COMPREPLY=( $(compgen -W "$offered" -- "$cur") )
}}
complete -F {FUNCTION} {PROGRAM}
"""


def zsh_script() -> str:
    commands, globals_, regions, infos = _data()
    option_arms, choice_arms = _case_arms(infos, "    ", _zsh_list)
    return f"""\
#compdef {PROGRAM}
# zsh completion for {PROGRAM}, written by '{PROGRAM} completion zsh'. Install (after compinit):
#   {PROGRAM} completion zsh > "${{fpath[1]}}/_{PROGRAM}"
# or add to ~/.zshrc, after compinit:  eval "$({PROGRAM} completion zsh)"
{FUNCTION}() {{
  local cur=${{words[CURRENT]}} prev=${{words[CURRENT-1]}} command="" word option
  local -a commands globals regions options values offered numbered
  local list
  local -i tags=0 count=0
  commands=({_words(commands)})
  globals=({_words(globals_)})
  regions=({_words(regions)})
  if [[ $cur == --*=* ]]; then
    prev=${{cur%%=*}}
    compset -P '*='
    cur=${{cur#*=}}
  fi
  for word in ${{words[2,CURRENT-1]}}; do
    if (( ${{commands[(Ie)$word]}} )); then command=$word; break; fi
  done
  case $prev in
    --RegionId|--region) compadd -- $regions; return;;
    {OUTPUT}) compadd -S '' -- {_words(OUTPUT_FIELDS_OFFERED)}; return;;
    {'|'.join(FLAGS)}|{HELP_FLAGS[0]}|--*=*) ;;
    --*)
      case "$command:$prev" in
{choice_arms or '        ___never___) ;;'}
      esac
      (( $#values )) && compadd -- $values
      return;;
  esac
  if [[ -z $command ]]; then
    compadd -- $commands $globals
    return
  fi
  case $command in
{option_arms}
    completion) compadd -- {_words(SHELLS)}; return;;
    *) return;;
  esac
  for option in $options $globals; do
    (( ${{words[(I)${{option}}(|=*)]}} )) || offered+=($option)
  done
  for list in $numbered; do
    count=${{#${{(M)words:#--$list.*}}}}
    offered+=(--$list.$(( count + 1 )))
  done
  if (( tags )); then
    count=${{#${{(M)words:#--Tag.*.Key*}}}}
    offered+=(--Tag.$(( count + 1 )).Key)
    if (( count > 0 )) && ! (( ${{words[(I)--Tag.$count.Value(|=*)]}} )); then
      offered+=(--Tag.$count.Value)
    fi
  fi
  compadd -- $offered
}}

if [[ ${{zsh_eval_context[-1]}} == loadautofunc ]]; then
  {FUNCTION} "$@"
else
  compdef {FUNCTION} {PROGRAM}
fi
"""
