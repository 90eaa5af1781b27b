"""caselog's domain and plain-file storage. It imports neither Textual nor Rich:
it can be tested, scripted and reused without a terminal.

Its sub-packages form layers; each imports only from the ones above it in
this list (tests/test_architecture.py checks it):

* ``domain``: what an inquiry, an appeal decision, the taxonomy, a period and
  the report's tables are (records, taxonomy, periods, summary, cpr,
  problems, clock). No files, no git.
* ``format``: how one record is written as TOML and where its file lies in a
  data folder (codec, layout), and how a file is written safely (files).
* ``git``: the history of the files: running git, setting a folder up,
  one commit per save, a record's history, sync, the merge driver.
* ``folder``: the data folder on disk: creating it, scanning it, reading one
  file or all of them fast (parse, canonical, rows, reading, fastread),
  saving and deleting (datafolder).
* ``index``: the derived cache ``.caselog/index``: the tree of stat keys, the
  file, assembling a loaded folder from it, loading through it.
* ``workspace``, ``tools``, ``sheets``: what works on a whole folder. The
  open folder the app edits (workspace: saves, outside changes, the live
  tally); anonymising and the demo data (tools); spreadsheets in and out
  (sheets). None of them imports another.
"""
