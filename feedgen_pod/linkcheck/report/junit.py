"""JUnit XML: one test suite per file, one test case per link and line; CI tools show it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import groupby

from ..types import LinkResult, Status
from .places import rows


def render(results: list[LinkResult], colour: bool, failing: frozenset[Status]) -> str:
    root = ET.Element("testsuites", name="feedgen-pod check-links")
    total = failures = 0
    for path, group in groupby(rows(results), key=lambda p: p[0].path):
        suite = ET.SubElement(root, "testsuite", name=path)
        count = fails = skipped = 0
        for source, result in group:
            count += 1
            case = ET.SubElement(
                suite,
                "testcase",
                classname=path,
                name=f"line {source.line}: {result.url}",
                file=path,
                line=str(source.line),
                time=f"{result.elapsed:.3f}",
            )
            message = f"{result.status.value}: {result.detail}".rstrip(": ")
            if result.status in failing:
                fails += 1
                ET.SubElement(case, "failure", message=message, type=result.status.value)
            elif result.status in (Status.EXCLUDED, Status.UNVERIFIABLE, Status.TIMEOUT):
                skipped += 1
                ET.SubElement(case, "skipped", message=message)
            elif result.detail:
                ET.SubElement(case, "system-out").text = message
        suite.set("tests", str(count))
        suite.set("failures", str(fails))
        suite.set("skipped", str(skipped))
        total, failures = total + count, failures + fails
    root.set("tests", str(total))
    root.set("failures", str(failures))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
