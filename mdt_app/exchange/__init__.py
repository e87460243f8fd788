"""Reading cases from the files `mdt-app import` accepts: mdt-case/1 JSON and FHIR R4 Bundles.

For importing into a database use `mdt_app.exchange.importer` (read_files, apply_import,
import_files): it also reads HL7 v2 files and panel replies, applies the clinical gating
and returns the import report. `read_cases` below gives only the cases of a JSON file.

`read_cases(path)` reads and decodes the file once, then hands the JSON to the reader its
content asks for: a FHIR Bundle (``"resourceType": "Bundle"``) to `fhir_bundle`, anything
else to the mdt-case/1 reader (`casefile.parse_document`). Either way the result is a list
of domain Cases and every problem is a CaseFileError naming the file.
"""

from __future__ import annotations

from pathlib import Path

from mdt_app import domain as d
from mdt_app.casefile import CaseFileError, load_json_file, parse_document


def read_cases(path: str | Path) -> list[d.Case]:
    """Read and validate an mdt-case/1 file or a FHIR R4 Bundle; CaseFileError on any problem."""
    path = Path(path)
    where = str(path)
    data = load_json_file(path)
    if isinstance(data, dict) and data.get("resourceType") == "Bundle":
        from mdt_app.exchange.fhir_bundle import parse_bundle  # fhir.resources: load on demand

        return parse_bundle(data, where)
    if isinstance(data, dict) and "resourceType" in data and "format" not in data:
        raise CaseFileError(
            f"{where}: is a FHIR {data['resourceType']!s:.40} resource, not a Bundle; "
            "import a Bundle (collection, transaction, document or searchset) that holds it"
        )
    return parse_document(data, where)
