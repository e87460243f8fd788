"""The minutes as a FHIR document Bundle (JSON), built and validated with fhir.resources.

FHIR R4B models (``fhir.resources.R4B``): R4B is R4 with small, compatible additions,
and the resources used here (Bundle, Composition, Patient, Practitioner, CarePlan)
serialise as valid R4. The Bundle is a ``document``: the Composition first (LOINC
85232-7 "Tumor board Consult note", one section per agenda item, each with readable
narrative), then a Patient per case, a Practitioner per attendee or signer, and a
CarePlan per signed decision (activities = chosen options, actions and follow-up;
the deviation and amendment reasons as notes; a superseded decision as a revoked
CarePlan that the amendment ``replaces``). Ids are urn:uuid, stable per meeting/patient.
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import replace
from datetime import datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fhir.resources.R4B.bundle import Bundle

from mdt_app.documents.minutes import content as c
from mdt_app.documents.minutes import text
from mdt_app.documents.minutes.fhir_case import CaseResources, patient_resource
from mdt_app.exchange.codes import MRN_SYSTEM_DEFAULT

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

LOINC = "http://loinc.org"
TUMOR_BOARD = {"system": LOINC, "code": "85232-7", "display": "Tumor board Consult note"}
MRN_SYSTEM = "urn:mdt-assistant:mrn"
PSEUDONYM_SYSTEM = "urn:mdt-assistant:pseudonym"
OPTION_SYSTEM = "urn:mdt-assistant:atc-option"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:mdt-assistant")


def write_fhir(minutes: c.MeetingMinutes, path: Path) -> None:
    """Write the minutes Bundle, checked against the R4B models (see bundle_json)."""
    path.write_text(bundle_json(minutes), encoding="utf-8")


def bundle_json(minutes: c.MeetingMinutes) -> str:
    """The Bundle as JSON text, validated against fhir.resources R4B first.

    The models check a copy whose PDF attachments are cut to one base64 block (the bytes
    are ours, base64-encoded a moment ago: checking megabytes of them character by
    character proves nothing), and the text is written from our own dict, which is
    already in the models' form (instants in UTC with "Z"; a test compares the two), so
    the slow dump back out of the models is not needed."""
    data = _bundle_dict(minutes)
    Bundle.model_validate(_without_attachment_data(data))
    return json.dumps(data, indent=2, ensure_ascii=False)


def _instant(moment: datetime) -> str:
    """A FHIR instant/dateTime as the R4B models write it: UTC as 'Z'."""
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def urn(*parts: object, namespace: uuid.UUID = _NAMESPACE) -> str:
    return f"urn:uuid:{uuid.uuid5(namespace, '/'.join(str(p) for p in parts))}"


def narrative(rows: text.Rows) -> dict:
    cells = "".join(
        f"<tr><th>{escape(label)}</th><td>{'<br/>'.join(escape(x) for x in lines)}</td></tr>"
        for label, lines in rows
    )
    div = f'<div xmlns="http://www.w3.org/1999/xhtml"><table>{cells}</table></div>'
    return {"status": "generated", "div": div}


class _BundleBuilder:
    def __init__(self, minutes: c.MeetingMinutes):
        self.m = minutes
        self.resources: dict[str, dict] = {}  # fullUrl -> resource, in insertion order
        # Ids are UUIDv5 names under the database's own UUID: stable across exports of one
        # database, different in every other database (two centres' "meeting 1" differ).
        self.namespace = uuid.UUID(minutes.database_uuid) if minutes.database_uuid else _NAMESPACE
        self.conditions: dict[int, dict] = {}  # agenda item id -> its Condition reference
        self.cases_done: set[str] = set()  # Patients whose clinical resources are in
        self._pdf_front: list[Flowable] | None = None  # laid out once, see document()

    def urn(self, *parts: object) -> str:
        return urn(*parts, namespace=self.namespace)

    def ids(self, *parts: object) -> str:
        return self.urn(*parts).removeprefix("urn:uuid:")

    def add(self, full_url: str, resource: dict) -> dict:
        if full_url.startswith("urn:uuid:") and "id" not in resource:
            resource = {"resourceType": resource["resourceType"], "id": full_url[9:], **resource}
        self.resources.setdefault(full_url, resource)
        return {"reference": full_url}

    def practitioner(self, name: str, specialty: str | None = None) -> dict:
        resource: dict[str, Any] = {"resourceType": "Practitioner", "name": [{"text": name}]}
        if specialty:
            resource["qualification"] = [{"code": {"text": specialty}}]
        return {**self.add(self.urn("practitioner", name), resource), "display": name}

    def patient(self, e: c.AgendaEntry) -> dict:
        p, pseudonymised = e.patient, self.m.pseudonymised
        if e.case is not None:
            full_url = self.urn("patient", e.case.patient.id or p.mrn)
            system = self.m.centre.get("mrn_system") or MRN_SYSTEM_DEFAULT
            ref = self.add(full_url, patient_resource(e.case, full_url[9:], system, pseudonymised))
            if full_url not in self.cases_done:
                self.cases_done.add(full_url)
                built = CaseResources(e.case, self.ids, ref)
                for u, r in built.build():
                    self.add(u, r)
                if built.condition_ref:
                    self.conditions[e.item_id] = built.condition_ref
                self.document(e, ref)
            return ref
        system = PSEUDONYM_SYSTEM if pseudonymised else MRN_SYSTEM
        resource: dict[str, Any] = {
            "resourceType": "Patient",
            "identifier": [{"system": system, "value": p.mrn}],
            "gender": p.sex,
        }
        if not pseudonymised:
            resource["name"] = [{"text": p.name}]
        if p.birth_date:
            resource["birthDate"] = p.birth_date.isoformat()
        return self.add(self.urn("patient", system, p.mrn), resource)

    def document(self, e: c.AgendaEntry, subject: dict) -> None:
        """A DocumentReference with this patient's part of the minutes as PDF, for the EHR.

        Only the patient's own agenda item goes in: the meeting's whole minutes name other
        patients and must not be filed in one patient's record.
        """
        from mdt_app.documents.minutes.pdf import front_matter, minutes_pdf

        # Straight to bytes: no temporary file (creating and removing a directory per
        # patient cost more than the PDF on a slow disk, and no copy touches the disk).
        # The meeting's header and attendance are laid out once for every patient.
        if self._pdf_front is None:
            self._pdf_front = front_matter(self.m)
        own = replace(self.m, items=(e,))
        data = base64.b64encode(minutes_pdf(own, front=self._pdf_front, one_patient=True)).decode(
            "ascii"
        )
        self.add(
            self.urn("document", self.m.meeting.id, e.item_id),
            {
                "resourceType": "DocumentReference",
                "status": "current",
                "type": {"coding": [TUMOR_BOARD]},
                "subject": subject,
                "date": _instant(self.m.generated_at),
                "description": f"MDT minutes, {self.m.meeting.title} ({self.m.meeting.date})",
                "content": [
                    {
                        "attachment": {
                            "contentType": "application/pdf",
                            "data": data,
                            "title": f"MDT minutes {self.m.meeting.date}",
                            "creation": _instant(self.m.generated_at),
                        }
                    }
                ],
            },
        )

    def care_plan(self, e: c.AgendaEntry, x: c.DecisionRecord, subject: dict, active: bool) -> dict:
        activities = [_activity(code=o) for o in x.chosen]
        activities += [_activity(action=a) for a in x.actions]
        activities.append(_activity(follow_up=x))
        notes = [] if x.concordance != c.DEVIATES else [text.concordance_line(x)]
        if x.amends_decision_id:
            notes.append(f"Amends an earlier signed decision; reason: {x.amendment_reason}")
        if x.older_data:
            notes.append(x.older_data)
        resource: dict[str, Any] = {
            "resourceType": "CarePlan",
            "status": "active" if active else "revoked",
            "intent": "plan",
            "category": [{"coding": [TUMOR_BOARD]}],
            "title": f"MDT decision, {self.m.meeting.title}, item {e.position}",
            "description": x.plan_text or text.chosen_line(x),
            "subject": subject,
            "addresses": [self.conditions[e.item_id]] if e.item_id in self.conditions else None,
            "activity": activities,
            "note": [{"text": n} for n in notes],
        }
        if x.signed_at:
            resource["created"] = _instant(x.signed_at)
        if x.signed_by:
            resource["author"] = self.practitioner(x.signed_by)
        if e.options:
            resource["instantiatesUri"] = [
                f"urn:mdt-assistant:guideline:{e.options.guideline_id}:{x.guideline_version}"
            ]
        if x.amends_decision_id:
            resource["replaces"] = [{"reference": self.urn("decision", x.amends_decision_id)}]
        return self.add(self.urn("decision", x.id), {k: v for k, v in resource.items() if v})

    def item_section(self, e: c.AgendaEntry) -> dict:
        subject = self.patient(e)
        entries = [subject]
        entries += [self.care_plan(e, x, subject, active=False) for x in e.superseded]
        if e.decision:
            entries.append(self.care_plan(e, e.decision, subject, active=True))
        return {
            "title": text.entry_title(e),
            "focus": subject,
            "text": narrative(text.entry_rows(e)),
            "entry": entries,
        }

    def composition(self) -> dict:
        m = self.m
        present = [self.practitioner(a.name, a.specialty) for a in m.attendees]
        attendance = [(a.name, [", ".join(text.attendee_line(a)[1:])]) for a in m.attendees]
        attendance.append(("Quorum", [m.quorum.describe()]))
        draft_left = bool(m.summary.unsigned_drafts) or m.meeting.status != "closed"
        author = self.practitioner(m.meeting.chair) if m.meeting.chair else {"display": "MDT"}
        sections: list[dict[str, Any]] = [
            {"title": "Meeting", "text": narrative(text.header_rows(m))},
            {"title": "Attendance", "text": narrative(attendance), "entry": present or None},
            {"title": "Agenda items", "section": [self.item_section(e) for e in m.items] or None},
            {"title": "Summary", "text": narrative(text.summary_rows(m))},
        ]
        return {
            "resourceType": "Composition",
            "status": "preliminary" if draft_left else "final",
            "type": {"coding": [TUMOR_BOARD], "text": "MDT meeting minutes"},
            "date": _instant(m.generated_at),
            "title": f"Minutes: {m.meeting.title} ({m.meeting.date})",
            "author": [author],
            "event": [{"period": {"start": str(m.meeting.date), "end": str(m.meeting.date)}}],
            "section": [{k: v for k, v in s.items() if v} for s in sections],
        }


def minutes_bundle(minutes: c.MeetingMinutes) -> Bundle:
    """The validated FHIR document Bundle of the minutes (as R4B model objects)."""
    return Bundle.model_validate(_bundle_dict(minutes))


def _without_attachment_data(bundle: dict) -> dict:
    entries = []
    for e in bundle["entry"]:
        r = e["resource"]
        if r["resourceType"] == "DocumentReference":
            content = [
                {**x, "attachment": {**x["attachment"], "data": "JVBERg=="}} for x in r["content"]
            ]
            e = {**e, "resource": {**r, "content": content}}
        entries.append(e)
    return {**bundle, "entry": entries}


def _bundle_dict(minutes: c.MeetingMinutes) -> dict:
    builder = _BundleBuilder(minutes)
    composition = builder.composition()  # first, as a document requires; fills the rest
    full_url = builder.urn("minutes", minutes.meeting.id)
    composition = {"resourceType": "Composition", "id": full_url[9:], **composition}
    entries = [{"fullUrl": full_url, "resource": composition}]
    entries += [{"fullUrl": u, "resource": r} for u, r in builder.resources.items()]
    return {
        "resourceType": "Bundle",
        "type": "document",
        "identifier": {"system": "urn:ietf:rfc:3986", "value": urn("export", uuid.uuid4())},
        "timestamp": _instant(minutes.generated_at),
        "entry": entries,
    }


def _activity(
    *,
    code: c.OptionRef | None = None,
    action: c.ActionRef | None = None,
    follow_up: c.DecisionRecord | None = None,
) -> dict:
    detail: dict[str, Any] = {"status": "not-started"}
    if code is not None:
        detail["code"] = {"coding": [{"system": OPTION_SYSTEM, "code": code.code}]}
        title = _title(code)
        detail["code"]["text"] = title
        detail["description"] = title  # titled in words: systems that show only text
    if action is not None:
        detail["description"] = action.description
        if action.owner:
            detail["performer"] = [{"display": action.owner}]
        if action.due_date:
            detail["scheduledPeriod"] = {"end": action.due_date.isoformat()}
    if follow_up is not None:
        detail["description"] = "Follow-up " + text.follow_up_line(follow_up)
        detail["scheduledTiming"] = {
            "repeat": {"frequency": 1, "period": follow_up.follow_up_weeks, "periodUnit": "wk"}
            if follow_up.follow_up_weeks
            else {"frequency": 1, "period": follow_up.follow_up_months, "periodUnit": "mo"}
        }
    return {"detail": detail}


def _title(option: c.OptionRef) -> str:
    """The option's title in words; from the pathway when the decision recorded none."""
    if option.title and option.title != option.code:
        return option.title
    from mdt_app.guideline.engine import load_pathway

    return load_pathway().title_of(option.code)
