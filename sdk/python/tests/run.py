#!/usr/bin/env python3
"""Runs every test of the Python SDK (unittest discovery of tests/test_*.py), prints each
result, writes a JSON report to $PROVENANCE_TEST_REPORT when set, and exits 1 when anything
failed (0 otherwise; skipped tests do not fail the run, the harness judges them).

    python3 sdk/python/tests/run.py                                   # offline only: live tests skipped
    PROVENANCE_URL=http://localhost:3000 PROVENANCE_TOKEN=prv_... \\
    PROVENANCE_TEST_REVIEWER_TOKEN=prv_... PROVENANCE_TEST_ORG=demo python3 sdk/python/tests/run.py

Report: {"passed": N, "failed": N, "skipped": N,
         "tests": [{"name": "...", "status": "passed" | "failed" | "skipped", "message"?: "..."}]}
"""

from __future__ import annotations

import json
import os
import sys
import traceback
import unittest
from typing import Any, Dict, List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
for _path in (HERE, os.path.dirname(HERE)):  # fake_server, and the SDK itself without installing it
    if _path not in sys.path:
        sys.path.insert(0, _path)


def _trace(err: Any) -> str:
    return "".join(traceback.format_exception(*err))


class Recorder(unittest.TextTestResult):
    """Keeps one record per test (a test with a failed subtest is failed)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.records: Dict[str, Dict[str, str]] = {}

    def _record(self, test: unittest.TestCase, status: str, message: Optional[str] = None) -> None:
        name = test.id()
        record = self.records.get(name)
        if record is not None and record["status"] == "failed":
            if message:  # keep the first failure, add the others
                record["message"] = (record.get("message", "") + "\n" + message)[-4000:]
            return
        self.records[name] = {"name": name, "status": status, **({"message": message[-4000:]} if message else {})}

    def addSuccess(self, test: unittest.TestCase) -> None:
        super().addSuccess(test)
        self._record(test, "passed")

    def addFailure(self, test: unittest.TestCase, err: Any) -> None:
        super().addFailure(test, err)
        self._record(test, "failed", _trace(err))

    def addError(self, test: unittest.TestCase, err: Any) -> None:
        super().addError(test, err)
        self._record(test, "failed", _trace(err))

    def addSubTest(self, test: unittest.TestCase, subtest: unittest.TestCase, err: Any) -> None:
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._record(test, "failed", f"{subtest.id()}:\n{_trace(err)}")

    def addSkip(self, test: unittest.TestCase, reason: str) -> None:
        super().addSkip(test, reason)
        self._record(test, "skipped", reason)

    def addExpectedFailure(self, test: unittest.TestCase, err: Any) -> None:
        super().addExpectedFailure(test, err)
        self._record(test, "passed")

    def addUnexpectedSuccess(self, test: unittest.TestCase) -> None:
        super().addUnexpectedSuccess(test)
        self._record(test, "failed", "passed although marked as an expected failure")


def main() -> int:
    suite = unittest.defaultTestLoader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    result = unittest.TextTestRunner(verbosity=2, resultclass=Recorder).run(suite)
    assert isinstance(result, Recorder)
    records: List[Dict[str, str]] = list(result.records.values())
    count = {status: sum(1 for r in records if r["status"] == status) for status in ("passed", "failed", "skipped")}
    report = {**count, "tests": records}
    path = os.environ.get("PROVENANCE_TEST_REPORT")
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2)
    live = "live tests ran against " + os.environ["PROVENANCE_URL"] if os.environ.get("PROVENANCE_URL") \
        else "PROVENANCE_URL unset: live tests skipped"
    print(f"{count['passed']} passed, {count['failed']} failed, {count['skipped']} skipped ({live})")
    return 0 if count["failed"] == 0 and result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
