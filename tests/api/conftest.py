import sys
import time


def pytest_terminal_summary(terminalreporter):
    """After a fuzzing run, how much was fuzzed."""
    fuzz = sys.modules.get("tests.api.test_fuzz")
    if fuzz is not None and fuzz.calls:
        terminalreporter.write_line(
            f"api fuzz: {len(fuzz.calls)} operations, {sum(fuzz.calls.values())} requests in "
            f"{time.monotonic() - fuzz.started[0]:.0f} s (at most {fuzz.MAX_EXAMPLES} generated examples an "
            f"operation, besides the schema's own examples and boundary cases; FUZZ_SEED={fuzz.schema.config.seed})"
        )
