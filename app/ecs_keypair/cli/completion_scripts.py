"""The bash and zsh completion scripts, written from a
:class:`~ecs_keypair.cli.completion.Completion`.

Both read the line the same way: the command is the first word that names one; the word before
the cursor, when it is an option that takes a value, says what to offer (its choices, regions,
file or folder names, variable names, or nothing to guess); otherwise the command's positional
argument, while it is not given, and then the options not given yet.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable, Sequence

from ecs_keypair.cli.completion import (
    SHELLS,
    Completed,
    CompletedCommand,
    Completion,
    Value,
    completion,
)
from ecs_keypair.cli.names import PROGRAM
from ecs_keypair.cli.output import deliver
from ecs_keypair.exit_codes import EXIT_USAGE

USAGE = f'usage: {PROGRAM} completion bash|zsh (for example: eval "$({PROGRAM} completion bash)")\n'

FUNCTION = "_ecs_keypair"

ArmBody = Callable[[Completed, Completion], str | None]


def _words(items: Sequence[str]) -> str:
    return " ".join(shlex.quote(item) for item in items)


def _bash_list(items: Sequence[str]) -> str:
    return shlex.quote(" ".join(items))


def _zsh_list(items: Sequence[str]) -> str:
    return f"({_words(items)})"


def _bash_value(option: Completed, data: Completion) -> str | None:
    """The ``case`` body that completes ``option``'s value; "" goes on to the options (a flag);
    None: there is nothing to offer."""
    offer = 'COMPREPLY=( $(compgen -W {} -- "$cur") ); return 0'.format
    match option.value:
        case Value.FLAG:
            return ""
        case Value.FREE:
            return None
        case Value.WORDS:
            return offer(_bash_list(option.words))
        case Value.FILES:  # readline's own file names when the word is quoted or escaped
            return (
                'compopt -o filenames -o default 2>/dev/null; '
                'mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return 0'
            )
        case Value.DIRECTORIES:
            return (
                'compopt -o filenames -o dirnames 2>/dev/null; '
                'mapfile -t COMPREPLY < <(compgen -d -- "$cur"); return 0'
            )
        case Value.VARIABLES:
            return 'COMPREPLY=( $(compgen -e -- "$cur") ); return 0'
        case Value.REGION:
            return offer('"$regions"')
        case Value.REGION_LIST:
            return (
                'if [[ $cur == *,* ]]; then '
                'COMPREPLY=( $(compgen -P "${cur%,*}," -W "$regions" -- "${cur##*,}") ); '
                f'else COMPREPLY=( $(compgen -W "$regions {data.all_regions}" -- "$cur") ); fi; '
                'return 0'
            )
        case Value.OUTPUT_FIELDS:
            return (
                f'COMPREPLY=( $(compgen -W {_bash_list(data.output_fields)} -- "$cur") ); '
                'compopt -o nospace 2>/dev/null; return 0'
            )


def _zsh_value(option: Completed, data: Completion) -> str | None:
    """As :func:`_bash_value`, for zsh."""
    match option.value:
        case Value.FLAG:
            return ""
        case Value.FREE:
            return None
        case Value.WORDS:
            return f"compadd -- {_words(option.words)}; return"
        case Value.FILES:
            return "_files; return"
        case Value.DIRECTORIES:
            return "_files -/; return"
        case Value.VARIABLES:
            return "_parameters -g '*export*'; return"
        case Value.REGION:
            return "compadd -- $regions; return"
        case Value.REGION_LIST:
            return (
                "if compset -P '*,'; then compadd -- $regions; "
                f"else compadd -- $regions {data.all_regions}; fi; return"
            )
        case Value.OUTPUT_FIELDS:
            return f"compadd -S '' -- {_words(data.output_fields)}; return"


def _value_arms(data: Completion, body: ArmBody, indent: str) -> str:
    """The ``case "$command:$prev"`` arms: one per way of completing a value, the commands'
    own options first (``keygen:--save``), then the global ones (``*:--region``)."""
    arms = []
    for owned in (
        [(f"{command.name}:{option.name}", option)
         for command in data.commands for option in command.options],
        [(f"*:{option.name}", option) for option in data.globals],
    ):
        patterns: dict[str, list[str]] = {}
        for pattern, option in owned:
            text = body(option, data)
            if text is not None:
                patterns.setdefault(text, []).append(pattern)
        arms += [f"{indent}{'|'.join(names)}) {text};;" for text, names in patterns.items()]
    return "\n".join(arms)


def _positional_arms(data: Completion, body: ArmBody, indent: str) -> str:
    """The ``case "$command"`` arms that complete a positional argument not given yet."""
    arms = []
    for command in data.commands:
        text = body(Completed("", command.positional), data) if command.positional else None
        if text:
            arms.append(f"{indent}{command.name}) {text};;")
    return "\n".join(arms)


def _command_arms(
    data: Completion, indent: str, listed: Callable[[Sequence[str]], str]
) -> str:
    """Per command: the options it offers, its numbered lists, whether it takes tags, and, when
    it has a positional argument, the options whose value is the next word."""
    return "\n".join(
        f"{indent}{command.name}) options={listed(_offered(command))}; "
        f"numbered={listed(command.numbered)}; tags={int(command.tags)}"
        + (f"; positional=1; valued={listed(_valued(command))}" if command.positional else "")
        + ";;"
        for command in data.commands
    )


def _offered(command: CompletedCommand) -> list[str]:
    return [*(option.name for option in command.options), *command.globals]


def _valued(command: CompletedCommand) -> list[str]:
    return [
        option.name for option in command.options if option.value is not Value.FLAG
    ] + [name for name in command.globals if name.startswith("--") and name != "--help"]


def _field_names(data: Completion) -> list[str]:
    """``--output``'s field names (``cols``…): a word ``cols=A`` after it is no positional."""
    return [field.partition("=")[0] for field in data.output_fields]


def bash_script(data: Completion) -> str:
    commands = [command.name for command in data.commands] + ["completion"]
    return f"""\
# bash completion for {PROGRAM}, written by '{PROGRAM} completion bash'. Install:
#   {PROGRAM} completion bash > ~/.local/share/bash-completion/completions/{PROGRAM}
# or add to ~/.bashrc:  eval "$({PROGRAM} completion bash)"
{FUNCTION}() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="" word command="" options="" numbered=""
    local valued="" list offered="" option
    local -i tags=0 positional=0 start=0 index=0 count=0 skip=0 given=0
    local commands={_bash_list(commands)}
    local regions={_bash_list(data.regions)} fields={_bash_list(_field_names(data))}
    (( COMP_CWORD > 0 )) && prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    if [[ $cur == "=" ]]; then
        cur=""
    elif [[ $prev == "=" ]] && (( COMP_CWORD > 1 )); then
        prev="${{COMP_WORDS[COMP_CWORD-2]}}"
    fi
    for (( index = 1; index < COMP_CWORD; index++ )); do
        if [[ " $commands " == *" ${{COMP_WORDS[index]}} "* ]]; then
            command="${{COMP_WORDS[index]}}"; start=index; break
        fi
    done
    case "$command:$prev" in
{_value_arms(data, _bash_value, "        ")}
        *:--*) return 0;;
    esac
    case "$command" in
        "") COMPREPLY=( $(compgen -W "$commands "{_bash_list(data.top)} -- "$cur") ); return 0;;
        completion) COMPREPLY=( $(compgen -W {_bash_list(SHELLS)} -- "$cur") ); return 0;;
{_command_arms(data, "        ", _bash_list)}
        *) return 0;;
    esac
    if (( positional )) && [[ $cur != -* ]]; then
        for word in "${{COMP_WORDS[@]:start+1:COMP_CWORD-start-1}}"; do
            if (( skip )); then
                skip=0; [[ -n $word && -z ${{word//[=:@]/}} ]] && skip=1
            elif [[ -n $word && -z ${{word//[=:@]/}} || " $valued " == *" $word "* ]]; then
                skip=1  # readline splits a word at "=", ":" and "@": what follows is its rest
            elif [[ " $fields " == *" ${{word%%=*}} "* ]]; then
                :  # --output's rows=, num=
            elif [[ $word != -* ]]; then
                given=1
            fi
        done
        if (( ! given )); then
            case "$command" in
{_positional_arms(data, _bash_value, "                ")}
            esac
        fi
    fi
    for option in $options; do
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


def zsh_script(data: Completion) -> str:
    commands = [command.name for command in data.commands] + ["completion"]
    return f"""\
#compdef {PROGRAM}
# zsh completion for {PROGRAM}, written by '{PROGRAM} completion zsh'. Install (after compinit):
#   {PROGRAM} completion zsh > "${{fpath[1]}}/_{PROGRAM}"
# or add to ~/.zshrc, after compinit:  eval "$({PROGRAM} completion zsh)"
{FUNCTION}() {{
  local cur=${{words[CURRENT]}} prev=${{words[CURRENT-1]}} command="" word option list
  local -a commands regions fields options numbered valued offered
  local -i tags=0 positional=0 start=0 index=0 count=0 skip=0 given=0
  commands={_zsh_list(commands)}
  regions={_zsh_list(data.regions)}
  fields={_zsh_list(_field_names(data))}
  if [[ $cur == --*=* ]]; then
    prev=${{cur%%=*}}
    compset -P '*='
    cur=${{cur#*=}}
  fi
  for (( index = 2; index < CURRENT; index++ )); do
    if (( ${{commands[(Ie)${{words[index]}}]}} )); then
      command=${{words[index]}}; start=index; break
    fi
  done
  case "$command:$prev" in
{_value_arms(data, _zsh_value, "    ")}
    *:--*=*) ;;
    *:--*) return;;
  esac
  case $command in
    "") compadd -- $commands {_words(data.top)}; return;;
    completion) compadd -- {_words(SHELLS)}; return;;
{_command_arms(data, "    ", _zsh_list)}
    *) return;;
  esac
  if (( positional )) && [[ $cur != -* ]]; then
    for word in ${{words[start+1,CURRENT-1]}}; do
      if (( skip )); then
        skip=0
      elif (( ${{valued[(Ie)$word]}} )); then
        skip=1
      elif [[ $word == *=* ]] && (( ${{fields[(Ie)${{word%%=*}}]}} )); then
        :  # --output's rows=, num=
      elif [[ $word != -* ]]; then
        given=1
      fi
    done
    if (( ! given )); then
      case $command in
{_positional_arms(data, _zsh_value, "        ")}
      esac
    fi
  fi
  for option in $options; do
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


def completion_main(args: Sequence[str]) -> int:
    if list(args) in (["--help"], ["-h"]):
        return deliver(USAGE)
    if len(args) != 1 or args[0] not in SHELLS:
        sys.stderr.write(f"{PROGRAM}: {USAGE}")
        return EXIT_USAGE
    return deliver(bash_script(completion()) if args[0] == "bash" else zsh_script(completion()))
