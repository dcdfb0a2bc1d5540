"""The inspection PDF's story: the chosen sections in order, numbered 一、二、… as chosen.

Each section lives in its own module (cover, overview, problems, records, ledgers).
"""

from __future__ import annotations

from reportlab.platypus import Flowable, NextPageTemplate, PageBreak

from . import followup
from .common import NUMERALS
from .cover import cover
from .data import SECTION_TITLES, ReportData
from .ledgers import dues, volunteer
from .overview import overview
from .problems import problems
from .records import records


def build_story(ledger, data: ReportData, sections: list[str]) -> list[Flowable]:
    """All chosen sections in order, numbered 一、二、… as chosen."""
    body_sections = [s for s in sections if s != "cover"]
    numbered = {s: NUMERALS[i] for i, s in enumerate(body_sections)}
    story: list[Flowable] = []
    if "cover" in sections:
        contents: list[tuple[str, str, int]] = []
        for s in body_sections:
            contents.append((s, f"{numbered[s]}、{SECTION_TITLES[s]}", 0))
        story += [NextPageTemplate("body"), *cover(data, contents)]
        if body_sections:
            story.append(PageBreak())
    else:
        story.append(NextPageTemplate("body"))
    builders = {
        "overview": lambda n, k: overview(data, n, k),
        "problems": lambda n, k: problems(data, n, k),
        "followup": lambda n, k: followup.section(data.model, n, k),  # issue 18
        "records": lambda n, k: records(ledger, data, n, k),
        "dues": lambda n, k: dues(data, n, k),
        "volunteer": lambda n, k: volunteer(data, n, k),
    }
    for i, s in enumerate(body_sections):
        if i and story and not isinstance(story[-1], PageBreak):
            story.append(PageBreak())
        story += builders[s](numbered[s], s)
    return story


__all__ = ["build_story"]
