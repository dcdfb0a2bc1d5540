"""支部台账: ``python main.py`` opens the window; ``python main.py --help`` lists the commands."""

import sys

from ledger_app.app import main

if __name__ == "__main__":
    if getattr(sys, "frozen", False):  # the committee view's worker processes (spawn)
        import multiprocessing

        multiprocessing.freeze_support()
    code = main()
    # Everything is saved and closed by now (database, lock file, window settings): leave
    # without the interpreter's and Qt's teardown, which only frees memory (~50 ms).
    import logging
    import os

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`… | head`): nothing more to say
            pass
    os._exit(code)
