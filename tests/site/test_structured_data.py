import json

from fansite.templatetags.structured_data import json_ld


def test_json_ld_filter_renders_a_script_element_with_escaped_markup():
    html = json_ld({"name": "</script><b>&</b>"})
    assert html.startswith('<script type="application/ld+json">')
    payload = html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in payload and "&" not in payload
    assert json.loads(payload) == {"name": "</script><b>&</b>"}
