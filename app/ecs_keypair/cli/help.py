"""The text of ``--help``, for the program and for each command, from the engine's table."""

from __future__ import annotations

import textwrap

from ecs_keypair import __version__
from ecs_keypair.cli.names import PROGRAM
from ecs_keypair.contract.actions import AnyAction
from ecs_keypair.contract.params import Kind, Param

Command = AnyAction

WIDTH = 100
_COLUMN = 30


def _entry(term: str, text: str) -> str:
    """``term`` then ``text`` in a column, wrapped; a long term puts the text on the next line."""
    indent = " " * _COLUMN
    first = f"  {term}".ljust(_COLUMN) if len(term) + 4 <= _COLUMN else f"  {term}\n{indent}"
    wrapped = textwrap.wrap(text, WIDTH - _COLUMN) or [""]
    return first + f"\n{indent}".join(wrapped)


def program_help(commands: list[Command], data_home: str) -> str:
    listing = "\n".join(_entry(command.name, command.summary) for command in commands)
    return f"""\
{PROGRAM} {__version__}: SSH key pairs the way Alibaba Cloud ECS makes them.

Usage:
  {PROGRAM}                          start the terminal app (no command starts the TUI)
  {PROGRAM} COMMAND [--Parameter VALUE ...]
  {PROGRAM} COMMAND --help           the parameters of COMMAND, and an example
  {PROGRAM} [COMMAND ...] --cloud | --profile NAME
                                       the app or the command on Alibaba Cloud through the
                                       official SDK, not the local store: each region at the
                                       endpoint the SDK resolves for it (ECS_KEYPAIR_ENDPOINTS
                                       first); credentials from --profile (~/.aliyun/config.json),
                                       else ALIBABA_CLOUD_ACCESS_KEY_ID and _SECRET, else that
                                       file's current profile
  {PROGRAM} [COMMAND ...] --endpoint ENDPOINT [--profile NAME]
                                       the same on one endpoint for every region:
                                       ecs.<region>.aliyuncs.com, or a serve address
                                       such as http://127.0.0.1:8080
  {PROGRAM} COMMAND ... [--region REGION] [--output cols=A,B [rows=JMESPATH] [num=true]]
                    [--cli-query JMESPATH] [--pager] [--cli-dry-run]
                                       as the aliyun CLI: the region when no --RegionId is given
                                       (else ALIBABA_CLOUD_REGION_ID, else the profile's
                                       region_id); a table; a filter; every page merged; the
                                       request printed, nothing called
  {PROGRAM} completion bash|zsh      a completion script: eval "$({PROGRAM} completion bash)"
  {PROGRAM} serve [--host HOST] [--port PORT]
                                       serve the local store as an ECS endpoint for the official
                                       SDKs (127.0.0.1:8080 by default; see serve --help)
  {PROGRAM} CreateAccessKey          an access key for serve: prints its secret, once
  {PROGRAM} ListAccessKeys           serve's access keys: ids, status, dates (never a secret)
  {PROGRAM} UpdateAccessKey --UserAccessKeyId ID --Status Active|Inactive
  {PROGRAM} DeleteAccessKey --UserAccessKeyId ID
  {PROGRAM} CreateKeyPair ... --save PATH [--format pem|openssh|ppk]
      [--passphrase-file FILE | --passphrase-env VAR] [--add-to-agent [--lifetime SECONDS]]
                                       save the new key (0600) and PATH.pub, and/or add it to
                                       ssh-agent; prints the answer without PrivateKeyBody
  {PROGRAM} keygen --KeyPairName N --RegionId R1[,R2,...|all] --save PATH [--type ...]
                                       make a key here, save it, import it into each region
  {PROGRAM} copy --KeyPairName N --RegionId FROM --to R1[,R2,...|all]
                                       import a key pair's public key into other regions
  {PROGRAM} fingerprint FILE         MD5 and SHA256 fingerprints of a key file
  {PROGRAM} match --RegionId R [--dir DIR]
                                       the region's key pairs and the local files holding them
  {PROGRAM} sync [--RegionId R1[,R2,...|all]] (--endpoint ENDPOINT | --cloud)
                                       list the endpoint's key pairs into this machine's mirror
  {PROGRAM} rotate --RegionId R --KeyPairName OLD --NewKeyPairName NEW [--reboot] [--delete-old]
      (--save PATH [--format ...] | --add-to-agent) [--type ...]
                                       move every instance bound to OLD onto a new key pair
  {PROGRAM} authorized-keys --RegionId R --InstanceId ID
                                       the public key in effect on an instance of the local
                                       store, for sshd's AuthorizedKeysCommand
  {PROGRAM} --version

Commands:
{listing}

Parameters are spelled as the aliyun CLI spells them: --RegionId cn-hangzhou or
--RegionId=cn-hangzhou, tags as --Tag.1.Key env --Tag.1.Value prod, lists as --ResourceId.1 web-1.

Output and exit status:
  0  the call succeeded: its response body, as JSON, on standard output
  1  the API refused the call, or the store could not be used: the error body
     (RequestId, HostId, Code, Message, HttpStatusCode), as JSON, on standard error;
     a file a local command was given cannot be used: one line on standard error
  2  the command line is wrong: a message on standard error; nothing was called

Data: {data_home}
  (set ECS_KEYPAIR_HOME to keep it elsewhere; ECS_KEYPAIR_QUOTA sets the key pairs allowed per
  region, 500 by default, ECS_KEYPAIR_INSTANCE_QUOTA the instances, 100 by default). Private
  keys are printed once and never stored.
"""


def _usage_part(param: Param) -> str:
    if param.kind is Kind.TAGS:
        part = f"--{param.name}.N.Key VALUE --{param.name}.N.Value VALUE ..."
    elif param.kind is Kind.LIST:
        part = f"--{param.name}.N {param.metavar} ..."
    else:
        return (
            f"--{param.name} {param.metavar}"
            if param.required
            else f"[--{param.name} {param.metavar}]"
        )
    return part if param.required else f"[{part}]"


def _usage(command: Command) -> str:
    ordered = sorted(command.params, key=lambda param: not param.required)  # required first
    return textwrap.fill(
        " ".join([PROGRAM, command.name, *(_usage_part(param) for param in ordered)]),
        WIDTH,
        initial_indent="Usage: ",
        subsequent_indent=" " * 7,
        break_on_hyphens=False,
    )


def _entries(param: Param) -> list[str]:
    required = "Required. " if param.required else ""
    if param.kind is Kind.TAGS:
        return [
            _entry(f"--{param.name}.N.Key VALUE", f"{required}{param.help}"),
            _entry(
                f"--{param.name}.N.Value VALUE", f"The value of tag N (see {param.name}.N.Key)."
            ),
        ]
    return [_entry(f"--{param.spellings[0]} {param.metavar}", f"{required}{param.help}")]


def command_help(command: Command) -> str:
    entries = [entry for param in command.params for entry in _entries(param)]
    parameters = "\n".join(entries) if entries else "  (none)"
    return f"""\
{_usage(command)}

{command.summary}

Parameters:
{parameters}

Example:
  {command.example}
"""
