"""Writing through the lead and inspector pages: handover logs, exam results, inspections."""

from __future__ import annotations

from rules.handover import H2_FIELDS
from tests.dashboards.conftest import OpenApp
from tests.dashboards.helpers import assert_clean, page_text
from tests.services.factories import World


def test_lead_writes_a_handover_log(open_app: OpenApp) -> None:
    at = open_app("lead_a", "lead_handover.py")
    assert_clean(at)
    assert "Headset 4 broken" in page_text(at)
    at.selectbox(key="handover_shift").set_value("M")
    for f in H2_FIELDS:
        at.text_area(key=f"handover_{f}").input(f"{f} noted")
    [b for b in at.button if b.label == "Submit"][0].click().run()
    assert_clean(at)
    assert "equipment_status noted" in page_text(at)


def test_handover_refusal_names_rule_h2(open_app: OpenApp) -> None:
    at = open_app("lead_a", "lead_handover.py")
    at.selectbox(key="handover_shift").set_value("M")
    [b for b in at.button if b.label == "Submit"][0].click().run()
    assert at.error and "H2" in at.error[0].value


def test_lead_records_an_exam_the_agent_sees(open_app: OpenApp, world: World) -> None:
    at = open_app("lead_a", "lead_exams.py")
    assert_clean(at)
    assert "Record a quality inspection" not in page_text(at)  # inspectors' job
    at.selectbox(key="exam_person").set_value(world.id("int_a2"))
    at.number_input(key="exam_score").set_value(88.0)
    [b for b in at.button if b.label == "Submit"][0].click().run()
    assert_clean(at)
    assert any(s.value == "Saved." for s in at.success)
    assert "88" in page_text(open_app("int_a2", "agent_grades.py"))


def test_inspector_records_an_inspection(open_app: OpenApp, world: World) -> None:
    at = open_app("inspector", "lead_exams.py")
    assert_clean(at)
    assert "Record an exam result" not in page_text(at)
    at.selectbox(key="inspection_person").set_value(world.id("int_a2"))
    at.text_input(key="inspection_ref").input("CALL-NEW-1")
    [b for b in at.button if b.label == "Submit"][0].click().run()
    assert_clean(at)
    assert "CALL-NEW-1" in page_text(open_app("int_a2", "agent_grades.py"))
