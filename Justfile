# Everyday commands; CI runs `.ci/run`.
test:
    python -m pytest -n 2
check:
    ruff check src tests bench
    mypy
fix:
    ruff check --fix src tests bench
docs:
    python -m custody.cli.reference > docs/cli.md
