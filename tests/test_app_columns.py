"""The Data page's column mapping: a roster whose headers the reader does not know is mapped
field by field, the mapping is kept with the rules, and the same layout maps itself next time."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from app_support import planner, start, upload
from scheduler.cli import main
from test_cli_rules import MAPPING, renamed_roster



def pickers(at: AppTest) -> dict[str, object]:
    """The mapping step's pickers by field key (keys map_<version>_<sheet>_<field>)."""
    prefix = f"map_{planner(at).data_version}_teachers_"
    return {str(s.key)[len(prefix):]: s for s in at.selectbox if str(s.key).startswith(prefix)}


def test_renamed_headers_are_mapped_kept_in_the_rules_file_and_map_themselves_next_time(downloads, tmp_path):
    at = start()
    upload(at, "名册.xlsx", renamed_roster())
    loaded = planner(at).loaded
    assert loaded.case is None and set(loaded.unmatched) == {"teachers"}
    unmatched = loaded.unmatched["teachers"]
    assert set(unmatched.missing) == set(MAPPING["teachers"])
    assert "列对应" in [h.value for h in at.subheader]
    shown = pickers(at)
    assert set(shown) == set(MAPPING["teachers"]), shown
    for field_key, picker in shown.items():
        assert picker.label in ("教师编号", "本校任教年限")
        assert set(picker.options) == set(unmatched.headers)
        assert picker.value == unmatched.suggestions.get(field_key), "pre-filled by the closest header"
        picker.set_value(MAPPING["teachers"][field_key])
    at.button(key="apply_mapping").click().run()
    loaded = planner(at).loaded
    assert loaded.report.ok and loaded.case is not None, loaded.report.text()
    assert len(loaded.case.teachers) == 2 and not loaded.unmatched
    assert not pickers(at) and not at.error
    assert planner(at).columns == MAPPING

    # The same layout again, in this session: read at once, no mapping step.
    upload(at, "名册2.xlsx", renamed_roster())
    assert planner(at).loaded.case is not None and not pickers(at)

    # The rules file carries the mapping, and the CLI reads the roster with it.
    at.switch_page("ui/pages/rules.py").run()
    saved = downloads["规划规则.json"]
    assert json.loads(saved)["columns"] == MAPPING
    (tmp_path / "名册.xlsx").write_bytes(renamed_roster())
    (tmp_path / "规划规则.json").write_bytes(saved)
    assert main(["check", str(tmp_path / "名册.xlsx"), "--rules", str(tmp_path / "规划规则.json")]) == 0

    # A new session: the rules file loaded first, the next upload of that layout maps itself.
    fresh = start()
    fresh.switch_page("ui/pages/rules.py").run()
    fresh.file_uploader(key="load_settings").set_value(("规划规则.json", saved, "application/json")).run()
    assert not fresh.exception and not fresh.error
    assert planner(fresh).columns == MAPPING
    fresh.switch_page("ui/pages/data.py").run()
    upload(fresh, "名册.xlsx", renamed_roster())
    assert planner(fresh).loaded.case is not None, planner(fresh).loaded.report.text()
    assert not pickers(fresh)


def test_a_rules_file_loaded_while_an_upload_waits_for_its_mapping_reads_it_again(downloads):
    at = start()
    upload(at, "名册.xlsx", renamed_roster())
    assert planner(at).loaded.case is None and pickers(at)
    at.sidebar.radio(key="lang").set_value("en").run()
    assert "Column mapping" in [h.value for h in at.subheader]
    assert {p.label for p in pickers(at).values()} == {"teacher_id（教师编号）", "years_at_school（本校任教年限）"}
    at.sidebar.radio(key="lang").set_value("zh").run()
    rules = json.dumps({"format": "teacher-exchange-settings/1", "settings": {}, "columns": MAPPING},
                       ensure_ascii=False).encode("utf-8")
    at.switch_page("ui/pages/rules.py").run()
    at.file_uploader(key="load_settings").set_value(("规划规则.json", rules, "application/json")).run()
    assert planner(at).loaded.case is not None, planner(at).loaded.report.text()
    at.switch_page("ui/pages/data.py").run()
    assert not pickers(at)
    assert "正在使用的列对应（2 项）" in [e.label for e in at.expander]
    at.button(key="mapping_clear").click().run()
    assert planner(at).columns == {}
