"""caselog demo FOLDER [--no-open]."""

from __future__ import annotations

from pathlib import Path

from store.folder.datafolder import DataFolder

from ..errors import CommandError
from ..i18n import language, t

HELP = (
    "Write the demo data folder (the 2024/25 report's tables, and two earlier periods) "
    "and open it in the app."
)


def add_arguments(p) -> None:
    p.add_argument("folder", help="a new or empty folder for the demo")
    p.add_argument("--no-open", action="store_true", help="only write the folder")


def commit_demo(root: Path) -> None:
    """The demo's records in one commit, so the app starts with nothing uncommitted."""
    from store.git import commits as git_commits
    from store.git import repo as git_repo

    if git_repo.is_repo(root):
        try:
            git_commits.commit_paths(root, git_commits.uncommitted(root), t("cli.demo.commit"))
        except git_repo.GitError:
            pass  # the files are written; the app shows them as uncommitted


def run(args) -> int:
    from store.tools.demo import write_demo

    target = Path(args.folder)
    if DataFolder(target).is_folder() and not args.no_open:
        # Written before: open it as it is (nothing is overwritten), so the
        # README's first command can be run again.
        print(t("cli.demo.exists", folder=target))
        from .open import open_folder

        return open_folder(str(target), args.lang)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise CommandError(t("cli.demo.notempty", folder=args.folder))
    folder = write_demo(target, args.lang or language())
    result = folder.load()
    commit_demo(folder.root)
    print(t("cli.demo.done", folder=folder.root, inquiries=len(result.inquiries),
            appeals=len(result.appeals)))
    if args.no_open:
        return 0
    from .open import open_folder

    return open_folder(str(folder.root), args.lang)
