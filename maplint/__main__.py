import sys

from maplint.cli import main

sys.exit(main())
