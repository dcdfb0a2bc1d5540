"""支部台账: ``python main.py`` opens the window; ``python main.py --help`` lists the commands."""

import sys

from ledger_app.app import main

if __name__ == "__main__":
    sys.exit(main())
