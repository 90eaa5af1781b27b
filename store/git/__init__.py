"""Git as the audit trail of a data folder, and as the way a team shares one log.

repo: running git, its errors, the identity a commit carries.
setup: making a folder a repository, the merge driver every clone needs.
commits: one commit per save or delete, in the background (Committer).
history: a record's versions, the latest commits, deleted records, restore.
sync: commit what is pending, fetch, merge (never rebase), push.
merge: record files compared and merged field by field (the merge driver).
"""
