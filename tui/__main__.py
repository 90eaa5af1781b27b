"""``python -m tui``: the caselog command line."""

import sys

from tui.cli import main

sys.exit(main())
