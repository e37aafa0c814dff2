from __future__ import annotations

from custody.cli.app import main

main()
