from news.linking import Entity, find_mentions, link_first_mentions

KUDROW = Entity("Lisa Kudrow", "/people/lisa-kudrow/")
FILM = Entity("Romy and Michele's High School Reunion", "/films/romy/")


def test_find_mentions_returns_candidates_in_order_of_first_mention():
    text = "Alan Cumming joined Lisa Kudrow."
    candidates = [("Lisa Kudrow", "kudrow"), ("Alan Cumming", "cumming"), ("Nobody", "none")]

    assert find_mentions(text, candidates) == ["cumming", "kudrow"]


def test_find_mentions_matches_whole_names_only():
    assert find_mentions("Lisa Kudrowski was there.", [("Lisa Kudrow", 1)]) == []


def test_find_mentions_treats_curly_and_straight_apostrophes_alike():
    text = "They made Romy and Michele’s High School Reunion."

    assert find_mentions(text, [("Romy and Michele's High School Reunion", "film")]) == ["film"]


def test_find_mentions_allows_a_line_break_inside_a_name():
    assert find_mentions("Lisa\nKudrow", [("Lisa Kudrow", 1)]) == [1]


def test_only_the_first_mention_is_linked():
    html = "<p>Lisa Kudrow said so.</p><p>Lisa Kudrow said it again.</p>"

    linked = link_first_mentions(html, [KUDROW])

    assert linked == (
        '<p><a class="entity-link" href="/people/lisa-kudrow/">Lisa Kudrow</a> said so.</p>'
        "<p>Lisa Kudrow said it again.</p>"
    )


def test_mentions_inside_links_and_headings_are_left_alone():
    html = (
        "<h2>Lisa Kudrow returns</h2>"
        '<p><a href="https://example.com">Lisa Kudrow interview</a></p>'
        "<p>More on Lisa Kudrow.</p>"
    )

    linked = link_first_mentions(html, [KUDROW])

    assert linked.startswith(
        '<h2>Lisa Kudrow returns</h2><p><a href="https://example.com">Lisa Kudrow interview</a></p>'
    )
    assert linked.endswith(
        '<p>More on <a class="entity-link" href="/people/lisa-kudrow/">Lisa Kudrow</a>.</p>'
    )


def test_linking_keeps_curly_quotes_and_escapes_text():
    html = "<p>“Romy and Michele’s High School Reunion” &amp; Lisa Kudrow &lt;3</p>"

    linked = link_first_mentions(html, [FILM, KUDROW])

    assert linked == (
        '<p>“<a class="entity-link" href="/films/romy/">Romy and Michele’s High School Reunion</a>”'
        ' &amp; <a class="entity-link" href="/people/lisa-kudrow/">Lisa Kudrow</a> &lt;3</p>'
    )


def test_longer_names_win_over_names_inside_them():
    short = Entity("Romy", "/characters/romy/")
    html = "<p>Romy and Michele's High School Reunion</p>"

    linked = link_first_mentions(html, [short, FILM])

    assert linked.count("<a ") == 1
    assert 'href="/films/romy/"' in linked


def test_html_without_mentions_is_unchanged():
    html = '<p>Nothing here &amp; nobody.</p><br><img src="/media/x.png" alt="">'

    assert link_first_mentions(html, [KUDROW]) == html


def test_an_alias_counts_as_the_first_mention():
    sorvino = Entity("Mira Sorvino", "/people/mira-sorvino/", aliases=("Sorvino",))
    html = "<p>Sorvino spoke first.</p><p>Mira Sorvino said more.</p>"

    linked = link_first_mentions(html, [sorvino])

    assert linked == (
        '<p><a class="entity-link" href="/people/mira-sorvino/">Sorvino</a> spoke first.</p>'
        "<p>Mira Sorvino said more.</p>"
    )


def test_the_full_name_is_linked_whole_rather_than_its_alias():
    sorvino = Entity("Mira Sorvino", "/people/mira-sorvino/", aliases=("Sorvino",))

    linked = link_first_mentions("<p>Mira Sorvino spoke.</p>", [sorvino])

    assert '">Mira Sorvino</a>' in linked


def test_names_inside_attribute_values_are_left_alone():
    image = '<img alt="a &gt; Lisa Kudrow" src="/media/x.png" title="x>Lisa Kudrow">'
    html = f"<p>{image} Lisa Kudrow</p>"

    linked = link_first_mentions(html, [KUDROW])

    assert linked == (
        f'<p>{image} <a class="entity-link" href="/people/lisa-kudrow/">Lisa Kudrow</a></p>'
    )
