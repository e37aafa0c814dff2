"""The company transfer, as pure data and rules: route, agreement, gate, chain of custody.

Import the submodules directly (`custody.domain.transfer.gate`, `.agreement`, ...).
"""

from __future__ import annotations

__all__: list[str] = []
