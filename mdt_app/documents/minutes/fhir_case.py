"""One case's clinical content as FHIR resources (mCODE 4 profiles where one applies).

The minutes Bundle carries, per case: the Patient (hospital identifier typed MR, a
structured name), the primary cancer Condition (mCODE PrimaryCancerCondition, histology
in ICD-O-3), TNM category and stage-group Observations (mCODE TNM profiles, SNOMED CT
axis codes), ECOG, biomarker Observations (genomics-reporting variants, TMB, MSI,
PD-L1), laboratory results (LOINC), imaging reports, the referral (ServiceRequest) and
the case facts no FHIR element carries (airway, goals of care ...) as Observations in the
app's own code system. `exchange.fhir_bundle` reads every one of them back, so an export
imported into an empty database gives the same cases (docs/minutes-fhir.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from mdt_app import domain as d
from mdt_app.casefile import case_to_dict
from mdt_app.exchange import codes as k
from mdt_app.staging import stage_for

Ids = Callable[..., str]  # ids(kind, *parts) -> a UUID string, stable per database

# Case-file keys that the standard resources below carry; every other key travels as an
# app-coded Observation (so fields added to the case format later still round-trip).
_STANDARD = {"format", "patient", "referral", "tnm", "ecog", "imaging", "labs"}
_STANDARD_DIAGNOSIS = {"histology", "diagnosed_on"}
_STANDARD_BIOMARKERS = set(d.BIOMARKER_FIELDS) | {"tmb_mut_per_mb", "pdl1_tps_percent"}
_DEFAULTS: dict[str, Any] = {
    "resectability": "unknown",
    "phase": "new",
    "airway": "unknown",
    "decision_capacity": "unknown",
}

GENE_HGNC = {
    "braf_v600e": ("HGNC:1097", "BRAF"),
    "ntrk_fusion": (None, "NTRK"),
    "ret_fusion": ("HGNC:9967", "RET"),
    "alk_fusion": ("HGNC:427", "ALK"),
}
MSI_DISPLAY = "Microsatellite instability [Interpretation] in Cancer specimen Qualitative"
PRESENT = {"system": k.LOINC, "code": "LA9633-4", "display": "Present"}
ABSENT = {"system": k.LOINC, "code": "LA9634-2", "display": "Absent"}
LAB_CATEGORY = [{"coding": [{"system": k.OBS_CATEGORY, "code": "laboratory"}]}]
EXAM_CATEGORY = [{"coding": [{"system": k.OBS_CATEGORY, "code": "exam"}]}]
SURVEY_CATEGORY = [{"coding": [{"system": k.OBS_CATEGORY, "code": "survey"}]}]
IMAGING_DICOM = {
    "CT": ("CT", "Computed Tomography"),
    "FDG-PET/CT": ("PT", "Positron emission tomography"),
    "MRI": ("MR", "Magnetic Resonance"),
    "US": ("US", "Ultrasound"),
    "bone_scintigraphy": ("NM", "Nuclear Medicine"),
}
IMAGING_WORDS = {
    "FDG-PET/CT": "FDG-PET/CT",
    "bone_scintigraphy": "Bone scintigraphy",
    "laryngoscopy": "Laryngoscopy",
}


def patient_resource(case: d.Case, pid: str, mrn_system: str, pseudonymised: bool) -> dict:
    """mCODE CancerPatient: identifier typed MR in the centre's system, structured name."""
    p = case.patient
    mr_type = {"coding": [{"system": k.V2_0203, "code": "MR", "display": "Medical record number"}]}
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": pid,
        "meta": {"profile": [k.MCODE + "mcode-cancer-patient"]},
        "gender": p.sex,
    }
    if pseudonymised:
        # A pseudonymous structured name keeps the Patient valid against mCODE/US Core.
        resource["identifier"] = [
            {"use": "secondary", "system": "urn:mdt-assistant:pseudonym", "value": p.mrn}
        ]
        resource["name"] = [{"use": "anonymous", "text": p.mrn, "family": p.mrn}]
        return resource
    resource["identifier"] = [
        {"use": "usual", "type": mr_type, "system": mrn_system, "value": p.mrn}
    ]
    name: dict[str, Any] = {"use": "official", "text": p.display_name}
    if p.family_name:
        name["family"] = p.family_name
    if p.given_name:
        name["given"] = p.given_name.split()
    resource["name"] = [name]
    if p.birth_date:
        resource["birthDate"] = p.birth_date.isoformat()
    resource["communication"] = [
        {
            "language": {"coding": [{"system": "urn:ietf:bcp:47", "code": p.preferred_language}]},
            "preferred": True,
        }
    ]
    return resource


class CaseResources:
    """Builds the clinical resources of one case; ``out`` collects (fullUrl, resource)."""

    def __init__(self, case: d.Case, ids: Ids, subject: dict):
        self.case = case
        self.ids = ids
        self.subject = {"reference": subject["reference"]}
        self.out: list[tuple[str, dict]] = []
        self.condition_ref: dict | None = None

    def add(self, kind: str, key: Any, resource: dict) -> dict:
        rid = self.ids(kind, self.case.id, key)
        body = {k: v for k, v in resource.items() if v is not None and k != "resourceType"}
        resource = {"resourceType": resource["resourceType"], "id": rid, **body}
        self.out.append((f"urn:uuid:{rid}", resource))
        return {"reference": f"urn:uuid:{rid}"}

    def build(self) -> list[tuple[str, dict]]:
        self.condition()
        self.tnm()
        self.ecog()
        self.biomarkers()
        self.labs()
        self.imaging()
        self.referral()
        self.other_facts()
        return self.out

    # --- diagnosis and staging ---

    def condition(self) -> None:
        dx = self.case.diagnosis
        thyroid_text = "Malignant neoplasm of thyroid gland"
        atc = dx.histology == "anaplastic_thyroid_carcinoma"
        resource: dict[str, Any] = {
            "resourceType": "Condition",
            "meta": {"profile": [k.MCODE + "mcode-primary-cancer-condition"]},
            "clinicalStatus": {"coding": [{"system": k.CONDITION_CLINICAL, "code": "active"}]},
            "verificationStatus": {
                "coding": [{"system": k.CONDITION_VERIFICATION, "code": "confirmed"}]
            },
            "category": [
                {"coding": [{"system": k.CONDITION_CATEGORY, "code": "problem-list-item"}]}
            ],
            "code": {
                "coding": [{"system": k.ICD10, "code": "C73", "display": thyroid_text}],
                "text": "Anaplastic thyroid carcinoma" if atc else thyroid_text,
            },
            "bodySite": [{"text": "Thyroid gland"}],
            "subject": self.subject,
        }
        if atc:
            resource["extension"] = [
                {
                    "url": k.HISTOLOGY_EXTENSION,
                    "valueCodeableConcept": {
                        "coding": [
                            {
                                "system": k.ICDO3,
                                "code": "8020/3",
                                "display": "Carcinoma, undifferentiated, NOS",
                            }
                        ],
                        "text": "Anaplastic (undifferentiated) carcinoma",
                    },
                }
            ]
        if dx.diagnosed_on:
            resource["onsetDateTime"] = dx.diagnosed_on.isoformat()
        self.condition_ref = self.add("condition", "primary", resource)

    def tnm(self) -> None:
        """T, N, M and the stage group as mCODE TNM Observations: the axis code and the
        AJCC value code follow the case's TNM basis (clinical or pathological); the
        value's text is the display, so a reader without SNOMED still sees 'cT4a'."""
        basis = self.case.tnm.basis
        members = []
        for cat in ("t", "n", "m"):
            value = getattr(self.case.tnm, cat)
            if value is None:
                continue
            # AJCC has no pM0: a pathologically staged M0 is cM0.
            axis = "clinical" if basis == "pathological" and value == "M0" else basis
            members.append(
                self.add(
                    "tnm",
                    cat,
                    {
                        "resourceType": "Observation",
                        "meta": {"profile": [k.TNM_PROFILES[cat]]},
                        "status": "final",
                        "category": EXAM_CATEGORY,
                        "code": {"coding": [_axis_coding(cat, axis)]},
                        "subject": self.subject,
                        "focus": [self.condition_ref],
                        "valueCodeableConcept": _tnm_value(axis, value),
                        "method": {"coding": [k.AJCC_8TH]},
                    },
                )
            )
        staged = stage_for(self.case.tnm)
        if not staged.is_staged:
            return
        if basis in k.STAGE_GROUP_EXPORT:
            code, display = k.STAGE_GROUP_EXPORT[basis]
        else:
            code, display = "399390009", "TNM stage grouping"
        stage_cc: dict[str, Any] = {"text": f"Stage {staged.stage}"}
        if staged.stage in k.AJCC_STAGE_SNOMED:
            stage_cc["coding"] = [
                {
                    "system": k.SNOMED,
                    "code": k.AJCC_STAGE_SNOMED[staged.stage],
                    "display": f"American Joint Committee on Cancer stage {staged.stage}"
                    " (qualifier value)",
                }
            ]
        self.add(
            "tnm",
            "stage",
            {
                "resourceType": "Observation",
                "meta": {"profile": [k.MCODE + "mcode-tnm-stage-group"]},
                "status": "final",
                "category": EXAM_CATEGORY,
                "code": {"coding": [{"system": k.SNOMED, "code": code, "display": display}]},
                "subject": self.subject,
                "focus": [self.condition_ref],
                "valueCodeableConcept": stage_cc,
                "method": {"coding": [k.AJCC_8TH]},
                "hasMember": members or None,
                "note": [{"text": f"Basis: {staged.basis}"}],
            },
        )

    def ecog(self) -> None:
        if self.case.ecog is None:
            return
        self.add(
            "ecog",
            "",
            {
                "resourceType": "Observation",
                "meta": {"profile": [k.MCODE + "mcode-ecog-performance-status"]},
                "status": "final",
                "category": SURVEY_CATEGORY,
                "code": {
                    "coding": [
                        {
                            "system": k.LOINC,
                            "code": "89247-1",
                            "display": "ECOG Performance Status score",
                        }
                    ]
                },
                "subject": self.subject,
                "valueInteger": self.case.ecog,
            },
        )

    # --- biomarkers ---

    def biomarkers(self) -> None:
        b = self.case.biomarkers
        for name, (hgnc, gene) in GENE_HGNC.items():
            result = getattr(b, name)
            if result == "unknown":
                continue
            what = "BRAF V600E" if name == "braf_v600e" else f"{gene} fusion"
            gene_cc: dict[str, Any] = {"text": gene}
            if hgnc:
                gene_cc["coding"] = [
                    {"system": "http://www.genenames.org/geneId", "code": hgnc, "display": gene}
                ]
            components = [
                {
                    "code": {"coding": [{"system": k.LOINC, "code": "48018-6"}]},
                    "valueCodeableConcept": gene_cc,
                }
            ]
            if name == "braf_v600e":
                components.append(
                    {
                        "code": {"coding": [{"system": k.LOINC, "code": "48005-3"}]},
                        "valueCodeableConcept": {"text": "p.Val600Glu (V600E)"},
                    }
                )
            resource: dict[str, Any] = {
                "resourceType": "Observation",
                "meta": {"profile": [k.MCODE + "mcode-genomic-variant"]},
                "status": "registered" if result == "pending" else "final",
                "category": LAB_CATEGORY,
                "code": {
                    "coding": [
                        {
                            "system": k.LOINC,
                            "code": "69548-6",
                            "display": "Genetic variant assessment",
                        }
                    ],
                    "text": what,
                },
                "subject": self.subject,
                "component": components,
            }
            if result != "pending":
                resource["valueCodeableConcept"] = {
                    "coding": [PRESENT if result == "positive" else ABSENT]
                }
            self.add("biomarker", name, resource)
        if b.msi_high != "unknown":
            high = {"system": k.LOINC, "code": "LA26203-2", "display": "MSI-H"}
            stable = {"system": k.LOINC, "code": "LA14122-8", "display": "Stable"}
            resource = {
                "resourceType": "Observation",
                "status": "registered" if b.msi_high == "pending" else "final",
                "category": LAB_CATEGORY,
                "code": {
                    "coding": [
                        {
                            "system": k.LOINC,
                            "code": "81695-9",
                            "display": MSI_DISPLAY,
                        }
                    ],
                    "text": "Microsatellite instability",
                },
                "subject": self.subject,
            }
            if b.msi_high != "pending":
                resource["valueCodeableConcept"] = {
                    "coding": [high if b.msi_high == "positive" else stable]
                }
            self.add("biomarker", "msi_high", resource)
        if b.tmb_mut_per_mb is not None:
            self.add(
                "biomarker",
                "tmb",
                {
                    "resourceType": "Observation",
                    "status": "final",
                    "category": LAB_CATEGORY,
                    "code": {
                        "coding": [
                            {
                                "system": k.LOINC,
                                "code": "94076-7",
                                "display": "Mutations/Megabase [# Ratio] in Tumor",
                            }
                        ],
                        "text": "Tumour mutational burden",
                    },
                    "subject": self.subject,
                    "valueQuantity": {
                        "value": b.tmb_mut_per_mb,
                        "unit": "mutations/Mb",
                        "system": k.UCUM,
                        "code": "1/1000000{Base}",
                    },
                },
            )
        if b.pdl1_tps_percent is not None:
            self.add(
                "biomarker",
                "pdl1",
                {
                    "resourceType": "Observation",
                    "status": "final",
                    "category": LAB_CATEGORY,
                    "code": {"text": "PD-L1 tumor proportion score (TPS)"},
                    "subject": self.subject,
                    "valueQuantity": {
                        "value": b.pdl1_tps_percent,
                        "unit": "%",
                        "system": k.UCUM,
                        "code": "%",
                    },
                },
            )

    # --- labs, imaging, referral ---

    def labs(self) -> None:
        for n, lab in enumerate(self.case.labs):
            code: dict[str, Any] = {"text": lab.test}
            loinc = k.LAB_EXPORT_LOINC.get(lab.test.lower())
            if loinc:
                code["coding"] = [{"system": k.LOINC, "code": loinc}]
            quantity: dict[str, Any] = {"value": lab.value}
            if lab.unit:
                quantity["unit"] = lab.unit
            resource: dict[str, Any] = {
                "resourceType": "Observation",
                "status": "final",
                "category": LAB_CATEGORY,
                "code": code,
                "subject": self.subject,
                "effectiveDateTime": lab.date.isoformat(),
                "valueQuantity": quantity,
            }
            if lab.low is not None or lab.high is not None:
                rr: dict[str, Any] = {}
                if lab.low is not None:
                    rr["low"] = {"value": lab.low}
                if lab.high is not None:
                    rr["high"] = {"value": lab.high}
                resource["referenceRange"] = [rr]
            self.add("lab", lab.id if lab.id is not None else f"n{n}", resource)

    def imaging(self) -> None:
        for n, study in enumerate(self.case.imaging):
            codings = []
            if study.modality in IMAGING_DICOM:
                code, display = IMAGING_DICOM[study.modality]
                codings.append({"system": k.DICOM, "code": code, "display": display})
            if study.modality in IMAGING_WORDS:
                codings.append(
                    {
                        "system": "urn:mdt-assistant:imaging-modality",
                        "code": study.modality,
                        "display": IMAGING_WORDS[study.modality],
                    }
                )
            code_cc: dict[str, Any] = {"coding": codings}
            if study.region:
                code_cc["text"] = study.region
            self.add(
                "imaging",
                study.id if study.id is not None else f"n{n}",
                {
                    "resourceType": "DiagnosticReport",
                    "status": "final",
                    "category": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/v2-0074",
                                    "code": "RAD",
                                    "display": "Radiology",
                                }
                            ]
                        }
                    ],
                    "code": code_cc,
                    "subject": self.subject,
                    "effectiveDateTime": study.date.isoformat(),
                    "conclusion": study.summary,
                },
            )

    def referral(self) -> None:
        r = self.case.referral
        if not any(
            v is not None for v in (r.referred_on, r.referring_clinician, r.question, r.urgent)
        ):
            return
        resource: dict[str, Any] = {
            "resourceType": "ServiceRequest",
            "status": "active",
            "intent": "order",
            "category": [{"coding": [{"system": k.CASE_FIELD, "code": "referral"}]}],
            "code": {"text": "Referral to the thyroid cancer multidisciplinary team meeting"},
            "subject": self.subject,
        }
        if r.urgent is not None:
            resource["priority"] = "urgent" if r.urgent else "routine"
        if r.referred_on:
            resource["authoredOn"] = r.referred_on.isoformat()
        if r.referring_clinician:
            resource["requester"] = {"display": r.referring_clinician}
        if r.question:
            resource["reasonCode"] = [{"text": r.question}]
        if self.condition_ref:
            resource["reasonReference"] = [self.condition_ref]
        self.add("referral", "", resource)

    def other_facts(self) -> None:
        """Every case-file fact without a FHIR element, as an app-coded Observation."""
        data = case_to_dict(self.case)
        facts: list[tuple[str, Any]] = []
        for key, value in data.items():
            if key in _STANDARD:
                continue
            if isinstance(value, dict) and key in ("diagnosis", "biomarkers"):
                skip = _STANDARD_DIAGNOSIS if key == "diagnosis" else _STANDARD_BIOMARKERS
                for sub, v in value.items():
                    if sub not in skip:
                        facts.append((f"{key}.{sub}", v))
                if key == "diagnosis" and value.get("histology") not in (
                    None,
                    "anaplastic_thyroid_carcinoma",
                ):
                    facts.append(("diagnosis.histology", value["histology"]))
                continue
            facts.append((key, value))
        for key, value in facts:
            if _is_default(key, value):
                continue
            resource: dict[str, Any] = {
                "resourceType": "Observation",
                "status": "final",
                "code": {
                    "coding": [{"system": k.CASE_FIELD, "code": key}],
                    "text": key.replace("_", " ").replace(".", ": "),
                },
                "subject": self.subject,
            }
            if isinstance(value, bool):
                resource["valueBoolean"] = value
            elif isinstance(value, str):
                resource["valueCodeableConcept"] = {
                    "coding": [{"system": f"{k.CASE_FIELD}:{key}", "code": value}],
                    "text": value.replace("_", " "),
                }
            else:
                resource["valueString"] = json.dumps(value, ensure_ascii=False, sort_keys=True)
            self.add("fact", key, resource)


_UNSPECIFIED_AXIS = {
    "t": ("78873005", "T category"),
    "n": ("277206009", "N category"),
    "m": ("277208005", "M category"),
}


def _axis_coding(category: str, basis: str | None) -> dict[str, str]:
    """The observation code of a T, N or M category: cT/pT ... or, basis not recorded,
    the plain 'T category' (never claimed clinical when nobody said so)."""
    code, display = k.TNM_EXPORT.get((category, basis or ""), _UNSPECIFIED_AXIS[category])
    return {"system": k.SNOMED, "code": code, "display": display}


def _tnm_value(basis: str | None, value: str) -> dict[str, Any]:
    """The category value: the AJCC SNOMED CT concept where one exists, its text always."""
    prefix = {"clinical": "c", "pathological": "p"}.get(basis or "", "")
    concept: dict[str, Any] = {"text": f"{prefix}{value}"}
    code = k.AJCC_SNOMED.get((basis or "", value))
    if code:
        concept["coding"] = [
            {"system": k.SNOMED, "code": code, "display": k.ajcc_display(basis or "", value)}
        ]
    return concept


def _is_default(key: str, value: Any) -> bool:
    if value is None or value == [] or key in _DEFAULTS and value == _DEFAULTS[key]:
        return True
    return isinstance(value, dict) and all(v in (None, [], "unknown") for v in value.values())
