"""caselog commit FOLDER -m MESSAGE."""

from __future__ import annotations

from store.git import commits as git_commits
from store.git import repo as git_repo

from ..cli import CommandError
from ..i18n import t
from .log import open_repo

HELP = (
    "Commit the record files (and caselog.toml) changed outside caselog, with your message; "
    "without -m, list them."
)


def add_arguments(p) -> None:
    p.add_argument("folder", help="the data folder")
    p.add_argument("-m", "--message", help="the commit message (no personal data, please)")


def run(args) -> int:
    data = open_repo(args.folder, args.lang)
    try:
        pending = git_commits.uncommitted(data.root)
        if not pending:
            print(t("git.commit.none"))
            return 0
        if not args.message:
            print(t("git.commit.list"))
            for p in pending:
                print(f"    {p}")
            return 0
        git_commits.commit_paths(data.root, pending, args.message)
    except git_repo.GitError as e:
        raise CommandError(t("git.error.git", detail=str(e))) from None
    print(t("git.commit.done", n=len(pending)))
    return 0
