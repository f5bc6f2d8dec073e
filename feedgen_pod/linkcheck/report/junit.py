"""JUnit XML: one test suite per file, one test case per link and line; CI tools show it.
A link that fails the check is a failure; unverifiable, excluded and broken-but-not-yet-failing
links are skipped with the reason."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from itertools import groupby
from typing import Any

from .document import rows, since


def render(doc: Mapping[str, Any], colour: bool = False) -> str:
    root = ET.Element("testsuites", name="feedgen-pod check-links")
    total = failures = 0
    for path, group in groupby(rows(doc), key=lambda p: p[0]["path"]):
        suite = ET.SubElement(root, "testsuite", name=path)
        count = fails = skipped = 0
        for source, item in group:
            count += 1
            case = ET.SubElement(
                suite,
                "testcase",
                classname=path,
                name=f"line {source['line']}: {item['url']}",
                file=path,
                line=str(source["line"]),
                time=f"{item['elapsed']:.3f}",
            )
            notes = [
                n for n in (item["detail"], since(item) if item["verdict"] == "broken" else "")
            ]
            if item.get("suggestion"):
                notes.append(f"replacement: {item['suggestion']['url']}")
            message = f"{item['status']}: {'; '.join(n for n in notes if n)}".rstrip(": ")
            if item["failing"]:
                fails += 1
                ET.SubElement(case, "failure", message=message, type=item["verdict"])
            elif item["verdict"] != "ok":
                skipped += 1
                ET.SubElement(case, "skipped", message=message)
            elif item["detail"]:
                ET.SubElement(case, "system-out").text = message
        suite.set("tests", str(count))
        suite.set("failures", str(fails))
        suite.set("skipped", str(skipped))
        total, failures = total + count, failures + fails
    root.set("tests", str(total))
    root.set("failures", str(failures))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
