import sys

from mdt_app.cli import main

sys.exit(main())
