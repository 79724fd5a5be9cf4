"""The aliyun-style command line: ``ecs-keypair CreateKeyPair --RegionId … --KeyPairName …``.

A thin shell over :class:`app.engine.service.KeyPairService`. Importing this package stays cheap
(no engine, no Textual): the engine is imported when a command runs, the TUI only when no
command is given.
"""

from app.cli.main import main

__all__ = ["main"]
