from maplint.cli import entry

entry()
