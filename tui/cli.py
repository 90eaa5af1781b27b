"""The ``caselog`` command line.

``caselog [FOLDER]`` opens the app; ``caselog COMMAND ...`` runs one of the
commands in ``tui/commands/`` without the interface. Each command module has
``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``. Failures print one
plain line on stderr and exit non-zero.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from .errors import CommandError
from .i18n import set_language

__all__ = ["CommandError", "main"]

# name -> module in tui.commands; imported only when used, so that a command
# line run does not pay for importing Textual.
COMMANDS = {
    "init": "init",
    "demo": "demo",
    "check": "check",
    "report": "report",
    "export": "export",
    "import": "import_",
    "log": "log",
    "restore": "restore",
    "commit": "commit",
    "sync": "sync",
    "merge-driver": "merge_driver",
    "anonymize": "anonymize",
}


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one plain line, not a usage dump
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def default_folder() -> str:
    return os.environ.get("CASELOG_DIR") or os.path.expanduser("~/caselog")


def build_parser(only: str | None = None) -> Parser:
    """The parser of every command; ``only``: of that command alone (the others' modules
    are not imported: a command line run pays for its own imports only)."""
    parser = Parser(
        prog="caselog",
        description="Register citizens' advisor inquiries and get the annual report's tables.",
        epilog="Commands: " + ", ".join(COMMANDS) + ". 'caselog COMMAND --help' for each.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name, module in COMMANDS.items():
        if only is not None and name != only:
            continue
        mod = importlib.import_module(f"tui.commands.{module}")
        p = sub.add_parser(name, help=mod.HELP, description=mod.HELP)
        add_lang(p)
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def add_lang(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=("da", "en"), help="interface language (default: the folder's)")


def build_open_parser() -> Parser:
    p = Parser(
        prog="caselog",
        description=(
            "Open a caselog data folder in the terminal app (default: $CASELOG_DIR or ~/caselog). "
            "Commands: " + ", ".join(COMMANDS) + "; 'caselog COMMAND --help' for each."
        ),
    )
    p.add_argument("folder", nargs="?", help="the data folder to open")
    add_lang(p)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if os.environ.get("CASELOG_LANG") in ("da", "en"):
        set_language(os.environ["CASELOG_LANG"])
    try:
        if argv and argv[0] in COMMANDS:
            args = build_parser(argv[0]).parse_args(argv)
            if args.lang:
                set_language(args.lang)
            return int(args._run(args) or 0)
        args = build_open_parser().parse_args(argv)
        if args.lang:
            set_language(args.lang)
        from .commands.open import open_folder

        return int(open_folder(args.folder or default_folder(), args.lang,
                               ask_create=args.folder is None) or 0)
    except CommandError as e:
        print(f"caselog: {e}", file=sys.stderr)
        return e.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    # Run the imported module's main, not this __main__ copy, so that the
    # commands and this entry point share one CommandError class.
    from tui.cli import main as _main

    sys.exit(_main())
