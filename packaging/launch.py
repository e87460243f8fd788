"""Entry script for the frozen bundle: the same as the `mdt-app` console command."""

import sys

from ui.launch import main

if __name__ == "__main__":
    sys.exit(main())
