from __future__ import annotations

from custody.cli.entry import main

main()
