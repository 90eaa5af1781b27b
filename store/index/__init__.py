"""The derived index of a data folder: ``.caselog/index``.

Opening a folder of 100,000 inquiries by reading every file takes seconds;
the index holds what the list and the tables need, so that the first screen
comes up at once. It is never the truth:

* it is checked against the folder after the first screen appears
  (``verify``: one stat of every file; new, changed and deleted files are
  read again through ``Workspace.reload_path``);
* it is rebuilt when it is missing, unreadable, truncated, of another
  version, written by other code (a fingerprint of the reading code), or for
  another ``caselog.toml``;
* deleting it loses nothing.

What it holds per file: the path, (mtime_ns, size, mode) as the file was
read, its problems, and its record *without* notes, citizen data or keys
this version does not know. The records built from it are therefore
*partial*: identical to the files' in every field the list and the tables
use (id, dates, kind, status, channel, title, source, points; an appeal's
board, department, outcome, remarks, result), with ``notes=""``,
``citizen=None`` and empty ``extra``. ``Workspace.get``/``full`` read the
file before a record is shown or edited, and ``Workspace.save`` fills in
what a caller built from a partial record could not have seen.

The title stays in the index: the list shows it. Notes and citizen data
never enter it.

Format: one header line and two ``marshal`` sections (plain tuples of
str/int/None: no code runs on load, unlike pickle), see ``file``. The
summary tally of the records is stored beside them, so that opening does
not count 100,000 records again.

The modules: tree (the folder's files and their stat keys; what changed),
file (the index file: reading, checking, writing), assemble (a loaded
folder built from entries or rows), load (loading a folder through it).
"""
