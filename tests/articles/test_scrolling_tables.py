"""A table in a page's text scrolls sideways in a box of the renderer's own: named, reachable
with the keyboard, followed by a line saying it scrolls; nothing a writer types makes one."""

from ketamine_info import markup

TABLE = "| Way | How long |\n|---|---|\n| IV drip | 40 minutes |\n"


def test_each_table_gets_a_named_focusable_box_and_a_hint():
    html = markup.render(f"Intro.\n\n{TABLE}\nBetween.\n\n{TABLE}").html
    assert html.count(markup.TABLE_BOX + "<table>") == 2
    assert html.count("</table>" + markup.TABLE_BOX_END) == 2
    assert 'role="region" tabindex="0" aria-label="Table that scrolls sideways"' in markup.TABLE_BOX
    assert "Scroll sideways to see the whole table." in html


def test_a_writer_cannot_type_the_box():
    typed = '<div class="table-scroll" role="region" tabindex="0">x</div> <p tabindex="0">y</p>'
    html = markup.render(typed).html
    # Shown as text, or dropped: never a real box.
    assert "<div" not in html and "<p tabindex" not in html and markup.TABLE_BOX not in html
