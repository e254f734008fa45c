#!/usr/bin/env python3
"""Runs every test of the Python SDK (unittest), prints each result, writes a JSON report
to $PROVENANCE_TEST_REPORT when set, and exits 1 when anything failed.

    PROVENANCE_URL=http://localhost:3000 PROVENANCE_TOKEN=prv_... python3 sdk/python/tests/run.py
"""

import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # the SDK itself, without installing it


class Recorder(unittest.TextTestResult):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.records = []

    def addSuccess(self, test):
        super().addSuccess(test)
        self.records.append({"name": test.id(), "status": "passed"})

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.records.append({"name": test.id(), "status": "failed", "message": self._exc_info_to_string(err, test)[-2000:]})

    def addError(self, test, err):
        super().addError(test, err)
        self.records.append({"name": test.id(), "status": "failed", "message": self._exc_info_to_string(err, test)[-2000:]})

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.records.append({"name": test.id(), "status": "skipped", "message": reason})


def main():
    suite = unittest.defaultTestLoader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    result = unittest.TextTestRunner(verbosity=2, resultclass=Recorder).run(suite)
    count = lambda status: sum(1 for r in result.records if r["status"] == status)  # noqa: E731
    report = {"passed": count("passed"), "failed": count("failed"), "skipped": count("skipped"), "tests": result.records}
    path = os.environ.get("PROVENANCE_TEST_REPORT")
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2)
    print(f"{report['passed']} passed, {report['failed']} failed, {report['skipped']} skipped")
    return 0 if report["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
