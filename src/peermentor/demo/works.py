"""Demo works 2003–2012: fewer before the 2006 group formed, more and more shared after."""

from __future__ import annotations

import csv
import io
import random

from nameparser import HumanName

from peermentor.accounts.models import User
from peermentor.scholarship import selectors, services

TYPES = ["journal_article", "presentation", "workshop", "poster", "educational_product", "grant"]
TOPICS = [
    "residents as teachers",
    "feedback in clinic",
    "simulation for delirium",
    "the psychiatry clerkship",
    "educator portfolios",
    "peer observation of teaching",
    "suicide risk assessment teaching",
    "telepsychiatry supervision",
    "small-group facilitation",
    "assessment of empathy",
]
OUTSIDERS = ["Kim, Jordan", "Patel, Ravi", "Schmidt, Lena", "Nakamura, Yui", "Osei, Kwame"]


def _family_given(user: User) -> str:
    name = HumanName(user.name)
    return f"{name.last}, {name.first}"


def _rows(members: list[User], rng: random.Random) -> list[list[str]]:
    rows = []
    for year in range(2003, 2013):
        during = year >= 2007
        for member in members:
            for _ in range(rng.choice([2, 3, 4] if during else [0, 1, 1, 2])):
                authors = [_family_given(member)]
                if during and rng.random() < 0.45:
                    authors.append(_family_given(rng.choice([m for m in members if m != member])))
                authors.append(rng.choice(OUTSIDERS))
                title = (
                    f"{rng.choice(['Teaching', 'Evaluating', 'Improving'])} "
                    f"{rng.choice(TOPICS)}: {rng.choice(['a pilot', 'lessons', 'a study'])}"
                    f" ({year}, {len(rows) + 1})"
                )
                rows.append(
                    [
                        rng.choice(TYPES),
                        title,
                        "Academic Psychiatry",
                        str(year),
                        "",
                        "",
                        "; ".join(authors),
                    ]
                )
    return rows


def load_works(members: list[User]) -> None:
    """Import the demo works as a CSV file, then let each member confirm their name matches."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["type", "title", "venue", "year", "doi", "pmid", "authors"])
    writer.writerows(_rows(members, random.Random(2012)))  # noqa: S311 -- demo data
    services.works_import(
        data=buffer.getvalue().encode(), filename="demo-works.csv", actor=None, members=members
    )
    for member in members:
        for authorship in selectors.claim_queue(user=member):
            services.claim_decide(authorship=authorship, user=member, confirm=True)
