"""Browser: on the Rules page a rule switch and the setting that decides it show the same choice on
screen, whichever of the two the planner moves (AppTest sees the widgets' values in the session, not
what the browser shows: a widget whose key was deleted kept showing its old value)."""

from __future__ import annotations

import re

import pytest

from browser_support import go, main, wait_idle

pytestmark = pytest.mark.browser


def test_the_pairing_switch_and_the_pairing_mode_move_together_on_screen(page) -> None:
    from playwright.sync_api import expect

    go(page, "规则")
    body = main(page)
    mode = body.get_by_role("radiogroup", name=re.compile("^结对模式"))
    switch = body.get_by_role("combobox", name="结对关系", exact=True)
    expect(mode.get_by_role("radio", name=re.compile("^严格"))).to_be_checked()
    expect(switch).to_have_value("硬约束")

    switch.click()
    page.keyboard.type("关闭")
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(mode.get_by_role("radio", name=re.compile("^不限"))).to_be_checked()

    mode.get_by_text(re.compile("^优先")).click()
    wait_idle(page)
    expect(switch).to_have_value("软约束")


def test_reset_to_defaults_shows_the_defaults_on_screen(page) -> None:
    from playwright.sync_api import expect

    go(page, "规则")
    body = main(page)
    mode = body.get_by_role("radiogroup", name=re.compile("^结对模式"))
    switch = body.get_by_role("combobox", name="结对关系", exact=True)
    rate = body.get_by_role("spinbutton", name="每校每学年交流比例（占符合条件教师）（%）", exact=True)
    mode.get_by_text(re.compile("^优先")).click()
    wait_idle(page)
    rate.fill("12")
    rate.press("Enter")
    wait_idle(page)
    expect(switch).to_have_value("软约束")
    expect(rate).to_have_value(re.compile(r"^12(\.0+)?$"))

    body.get_by_role("button", name="恢复默认").click()
    wait_idle(page)
    expect(mode.get_by_role("radio", name=re.compile("^严格"))).to_be_checked()
    expect(switch).to_have_value("硬约束")
    expect(rate).to_have_value(re.compile(r"^10(\.0+)?$"))
