"""caselog sync FOLDER [-m MESSAGE]."""

from __future__ import annotations

import sys

from store.git import commits as git_commits
from store.git import repo as git_repo
from store.git import sync as git_sync

from ..cli import CommandError
from ..i18n import t
from ..vcs import sync_lines
from .log import open_repo

HELP = (
    "Share the log with the team: commit what is pending, fetch the shared copy (git remote), "
    "merge its changes record by record (nothing is rewritten), and push."
)


def add_arguments(p) -> None:
    p.add_argument("folder", help="the data folder")
    p.add_argument("-m", "--message", help="message for changes made outside caselog")


def run(args) -> int:
    data = open_repo(args.folder, args.lang)
    root = data.root
    try:
        pending = git_commits.uncommitted(root)
        message = args.message or t("git.msg.outside", n=len(pending))
        remote = git_sync.choose_remote(root)
        result = git_sync.sync(root, message, t("git.msg.merge", remote=remote))
    except git_sync.NoRemote:
        raise CommandError(t("git.sync.no_remote", folder=args.folder)) from None
    except git_sync.NotALog as e:
        raise CommandError(t("git.sync.not_a_log", ref=str(e))) from None
    except git_sync.Rewritten as e:
        raise CommandError(t("git.sync.rewritten", ref=str(e))) from None
    except git_repo.GitError as e:
        detail = str(e)
        if detail.startswith("merge-failed:"):
            raise CommandError(t("git.sync.merge_failed",
                                 files=detail.split(":", 1)[1].replace(",", ", "))) from None
        raise CommandError(t("git.error.git", detail=detail)) from None
    for line, notable in sync_lines(result, root):
        print(line, file=sys.stderr if notable else sys.stdout)
    return 0
