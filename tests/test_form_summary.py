"""Every form: all problems at once in a summary at the top, each linking to its field; limits
stated beside the field before anyone hits them."""

import re

import pytest

from tamatch.models import Role

pytestmark = pytest.mark.usefixtures("no_csrf")


def test_an_empty_need_form_lists_every_problem_once_with_links(make, login):
    page = login(make.user(role=Role.FOCAL_POINT, state="HTI")).post("/needs/new", data={}).text
    summary = re.search(r'<div class="alert alert-danger error-summary".*?</div>', page, re.S)
    assert summary, "no error summary"
    links = re.findall(r'<a href="#([\w-]+)" class="alert-link">', summary.group())
    assert "title" in links and len(links) == len(set(links)) >= 3
    count = int(re.search(r"There are (\d+) problems to fix", summary.group()).group(1))
    assert count == len(links)
    for target in links:  # every link lands on an element of the page
        assert f'id="{target}"' in page, target


def test_text_limits_are_stated_beside_the_field(make, login):
    page = login(make.user(role=Role.FOCAL_POINT, state="HTI")).get("/needs/new").text
    title = re.search(r'<input[^>]*id="title"[^>]*>', page).group()
    assert "maxlength" not in title  # the browser would cut pasted text without a word
    assert "Up to 200 characters." in page
    assert 'aria-describedby="title-help"' in title
