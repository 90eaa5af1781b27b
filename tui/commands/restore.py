"""caselog restore FOLDER ID."""

from __future__ import annotations

from store.git import history as git_history
from store.git import repo as git_repo

from ..cli import CommandError
from ..i18n import t
from .log import open_repo

HELP = (
    "Bring a deleted record back from the history: its last version is written to its "
    "file and committed ('caselog log FOLDER --deleted' lists them)."
)


def add_arguments(p) -> None:
    p.add_argument("folder", help="the data folder")
    p.add_argument("id", help="the id of the deleted record")


def run(args) -> int:
    data = open_repo(args.folder, args.lang)
    try:
        path = git_history.restore(data.root, args.id, t("git.msg.restored", id=args.id))
    except FileExistsError:
        raise CommandError(t("git.restore.exists", id=args.id)) from None
    except LookupError:
        raise CommandError(t("git.log.unknown", id=args.id)) from None
    except git_repo.GitError as e:
        raise CommandError(t("git.error.git", detail=str(e))) from None
    print(t("git.restore.done", id=args.id, path=path))
    return 0
