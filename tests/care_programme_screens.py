"""Rendered pages of the demo care programmes, for docs/screenshots/ (looked at before
they are committed):

    .venv/bin/python -m tests.care_programme_screens

Four demo patients: stage 4A surgery (DEMO-0001), stage 4B chemoradiation (DEMO-0003),
stage 4C on dabrafenib + trametinib (DEMO-0017, French), comfort care (DEMO-0010, whose
decision is recorded here through the store, as the chair would). Each in English and in
a second language, and page 1 in large print. Needs pdftoppm (poppler-utils).
"""

from __future__ import annotations

import subprocess
import tempfile
from datetime import date, timedelta
from pathlib import Path

from mdt_app import domain as d
from mdt_app.demo import build_demo_database
from mdt_app.documents.care_programme import build_care_programme
from mdt_app.guideline.engine import recommend
from mdt_app.store import Store, open_store

DOCS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CASES = {  # mrn: (file stem, second language)
    "DEMO-0001": ("pcp-iva-surgery", "de"),
    "DEMO-0003": ("pcp-ivb-chemoradiation", "fr"),
    "DEMO-0017": ("pcp-ivc-dabrafenib-trametinib", "fr"),
    "DEMO-0010": ("pcp-comfort-care", "fr"),
}


def decide_comfort_care(store: Store, today: date) -> None:
    """DEMO-0010 asks for comfort care only: record and sign that decision."""
    row = next(r for r in store.list_cases() if r.mrn == "DEMO-0010")
    case = store.get_case(row.id)
    meeting = store.get_meeting(row.meeting_id or 0)
    rec = recommend(case, today=meeting.date)
    draft = store.save_draft(
        d.Decision(
            case_id=row.id,
            agenda_item_id=row.agenda_item_id or 0,
            chosen_options=["PALLIATIVE_CARE", "HOSPICE", "GOALS_OF_CARE", "ADVANCE_DIRECTIVE"],
            plan_text="Comfort care only, as the patient wishes. Hospice referral.",
            patient_explanation="Vous avez choisi des soins de confort. L'équipe de soins "
            "palliatifs passera chez vous cette semaine pour en parler avec vous et votre fille.",
            discussed_with_patient_on=today,
            discussed_with_patient_by="Małgorzata Dąbrowska",
            guideline_id=rec.guideline_id,
            guideline_version=rec.guideline_version,
            options_snapshot=rec.as_dict(),
            actions=[
                d.Action(
                    "Palliative care team home visit",
                    "Palliative care team",
                    today + timedelta(days=2),
                ),
            ],
        )
    )
    store.sign_decision(draft.id or 0, "Dr Inés Muñoz-Álvarez", today=meeting.date)


def render(pdf: bytes, stem: Path, pages: tuple[int, int], dpi: int = 70) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "p.pdf"
        source.write_bytes(pdf)
        first, last = pages
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), "-f", str(first), "-l", str(last),
             str(source), str(stem)],
            check=True,
        )  # fmt: skip


def main() -> None:
    today = date.today()
    with tempfile.TemporaryDirectory() as tmp:
        db = build_demo_database(Path(tmp) / "demo.db")
        with open_store(db, actor="screens") as store:
            decide_comfort_care(store, today)
            ids = {r.mrn: r.id for r in store.list_cases()}
            for mrn, (stem, second) in CASES.items():
                for language in dict.fromkeys(("en", second)):
                    pdf = build_care_programme(store, ids[mrn], language=language)
                    render(pdf, DOCS / f"{stem}-{language}", (1, 2))
                large = build_care_programme(store, ids[mrn], language=second, large_print=True)
                render(large, DOCS / f"{stem}-{second}-large", (1, 1))
    print("\n".join(sorted(str(p) for p in DOCS.glob("pcp-*.png"))))


if __name__ == "__main__":
    main()
