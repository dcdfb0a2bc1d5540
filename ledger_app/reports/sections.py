"""The inspection PDF's story: the chosen sections in order, numbered 一、二、… as chosen.

Each section lives in its own module (cover, overview, problems, followup, records,
ledgers, registers) and renders the period model; nothing here reads the ledger.
"""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable, NextPageTemplate, PageBreak, Paragraph

from ..domain.period import PeriodModel
from . import assessment, followup, plan
from .common import NUMERALS, SECTION_TITLES, link_headings
from .cover import cover
from .layout import bind_deferred
from .ledgers import dues, volunteer
from .overview import overview
from .problems import problems
from .records import Photos, records
from .registers import care, development, transfers


def build_story(model: PeriodModel, sections: list[str], photos: Photos) -> list[Flowable]:
    """All chosen sections in order, numbered 一、二、… as chosen."""
    body_sections = [s for s in sections if s != "cover"]
    numbered = {s: NUMERALS[i] for i, s in enumerate(body_sections)}
    story: list[Flowable] = []
    if "cover" in sections:
        contents = [(s, f"{numbered[s]}、{SECTION_TITLES[s]}", 0) for s in body_sections]
        story += [NextPageTemplate("body"), *cover(model, contents)]
        if body_sections:
            story.append(PageBreak())
    else:
        story.append(NextPageTemplate("body"))
    builders = {
        "overview": lambda n, k: overview(model, n, k),
        "problems": lambda n, k: problems(model, n, k),
        "followup": lambda n, k: followup.section(model, n, k),  # issue 18
        "records": lambda n, k: records(model, n, k, photos),
        "dues": lambda n, k: dues(model, n, k),
        "volunteer": lambda n, k: volunteer(model, n, k),
        # issue 19: the registers
        "development": lambda n, k: development(model, n, k),
        "transfers": lambda n, k: transfers(model, n, k),
        "care": lambda n, k: care(model, n, k),
        # issue 20
        "assessment": lambda n, k: assessment.section(model, n, k),
        "plan": lambda n, k: plan.section(model, n, k),
    }
    for i, s in enumerate(body_sections):
        flow = builders[s](numbered[s], s)
        if i and story and not isinstance(story[-1], PageBreak):
            # a section starts on a page of its own; one that only says it has nothing
            # (未开展自评, 没有登记工作计划) follows the one before when there is room, not
            # alone on a nearly empty page
            story.append(CondPageBreak(SHORT_ROOM) if _short(flow) else PageBreak())
        story += flow
    return bind_deferred(link_headings(story))


SHORT_ROOM = 60 * 72 / 25.4  # 60 mm: room a section of a heading and a line or two needs


def _short(flow: list[Flowable]) -> bool:
    """A heading and at most two lines of text, no table: a section with nothing to show."""
    texts = [f for f in flow if isinstance(f, Paragraph)]
    return len(flow) <= 4 and len(texts) >= len(flow) - 2 and len(texts) <= 3


__all__ = ["build_story"]
