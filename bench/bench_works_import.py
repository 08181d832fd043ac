"""Time a large PubMed import end to end: stream-read, de-duplicate, match authors to members.

Run as ``python bench/bench_works_import.py [--records N] [--existing N] [--members N]
[--seed N]``. Generates a PubMed XML file (abstracts of about 1,500 characters, 20 authors per
article, some with ORCID iDs) in a temporary folder, with planted duplicates of stored works
(by DOI, PubMed ID and near-identical title), repeats inside the file, and planted ORCID and
name matches to members. Prints the time of each step, the total, peak memory and planted
against found counts; exits non-zero when a planted duplicate or match is not found or an
unplanted duplicate or ORCID match appears.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from xml.sax.saxutils import escape

# Import the package from this checkout's src/ whether or not it is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from unidecode import unidecode

from peermentor.core.orcid import check_digit
from peermentor.scholarship.dedupe import Match, WorkKey, find_duplicates
from peermentor.scholarship.importers import pubmed_xml
from peermentor.scholarship.matching import AuthorMatch, MemberKey, match_authors
from peermentor.scholarship.records import WorkRecord

R = TypeVar("R")
TARGET_SECONDS = 10.0
TARGET_MEGABYTES = 300.0
AUTHORS_PER_WORK = 20
ABSTRACT_CHARS = 1_500
YEARS = range(2000, 2025)
SYLLABLES = (  # noqa: SIM905
    "ka ri mo len dar vis tor bel an sel mar co lin ber gen ha wick dor fel ston ley ram "
    "quist ov ski nen sa ta mi ro vel zan pe ter son ard ing ho lu na bra"
).split()
SPECIAL_FAMILIES = (
    "García Márquez",
    "García-López",
    "van der Berg",
    "de la Cruz",
    "O'Brien",
    "Müller",
    "Nguyễn",
    "Øster-Jensen",
    "Šimić",
    "D'Angelo",
    "Fernández Ruiz",
    "von Habsburg",
)
GIVEN_NAMES = (  # noqa: SIM905
    "John Mary Ana José Li Wei Fatima Olusegun Priya Sven Ingrid Carlos Aisha Tomasz Yuki "
    "Elena Ahmed Grace Pierre Jean-Pierre Hannah Omar Lucía Mateo Zoe Ravi Noor Kofi Emma Liam"
).split()
STOP = ("of", "in", "and", "the", "for", "with", "among", "on")


@dataclass
class Person:
    """An author or member name as the generator writes it."""

    family: str
    given: str
    orcid: str | None = None


@dataclass
class Article:
    """One generated article: identifiers, title, year and its authors in byline order."""

    pmid: str
    doi: str | None
    title: str
    year: int
    authors: list[Person]


@dataclass
class Plan:
    """What is generated and what the import is expected to find."""

    articles: list[Article] = field(default_factory=list)
    existing: list[WorkKey] = field(default_factory=list)
    members: list[MemberKey] = field(default_factory=list)
    duplicates: dict[int, tuple[Hashable | None, int | None, str]] = field(default_factory=dict)
    orcid_slots: set[tuple[int, int, Hashable]] = field(default_factory=set)
    name_slots: set[tuple[int, int, Hashable]] = field(default_factory=set)


class Words:
    """Made-up but word-shaped vocabulary, surnames and ORCID iDs from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.vocabulary = self._unique(3_000, lambda: self._word(2, 4).lower())
        self.surnames = self._unique(20_000, lambda: self._word(2, 3).capitalize())
        self.orcid_serial = 0

    def _word(self, low: int, high: int) -> str:
        """A made-up word of ``low`` to ``high`` syllables."""
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(low, high)))

    def _unique(self, count: int, make: Callable[[], str]) -> list[str]:
        found: dict[str, None] = {}
        while len(found) < count:
            found[make()] = None
        return list(found)

    def title(self) -> str:
        """A title of 9 to 15 words, two of them stop words."""
        words = [self.rng.choice(self.vocabulary) for _ in range(self.rng.randint(7, 13))]
        for _ in range(2):
            words.insert(self.rng.randrange(1, len(words)), self.rng.choice(STOP))
        return " ".join(words).capitalize() + "."

    def text(self, chars: int) -> str:
        """About ``chars`` characters of made-up prose."""
        words: list[str] = []
        length = 0
        while length < chars:
            words.append(self.rng.choice(self.vocabulary))
            length += len(words[-1]) + 1
        return " ".join(words).capitalize() + "."

    def given(self) -> str:
        """A given name, half the time with a middle name."""
        first = self.rng.choice(GIVEN_NAMES)
        return f"{first} {self.rng.choice(GIVEN_NAMES)}" if self.rng.random() < 0.5 else first

    def orcid(self) -> str:
        """A valid ORCID iD never handed out before."""
        self.orcid_serial += 1
        base = f"000000{self.orcid_serial + 10_000_000:09d}"
        digits = base + check_digit(base)
        return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


def make_plan(words: Words, records: int, existing: int, members: int) -> Plan:
    """Articles, stored work keys and members, with the duplicates and matches planted."""
    rng = words.rng
    plan = Plan()
    plan.members = make_members(words, members)
    for index in range(records):
        doi = f"10.5555/pm.{index}" if rng.random() < 0.9 else None
        plan.articles.append(
            Article(str(30_000_000 + index), doi, words.title(), rng.choice(YEARS), [])
        )
    plant_duplicates(plan, words, rng, existing)
    plant_authors(plan, words, rng)
    return plan


def make_members(words: Words, count: int) -> list[MemberKey]:
    """Members with common, accented and compound family names; two in five with an ORCID iD."""
    members = []
    for index in range(count):
        special = index % 20 == 0
        family = words.rng.choice(SPECIAL_FAMILIES if special else words.surnames[:5_000])
        orcid = words.orcid() if index % 5 < 2 else None
        members.append(MemberKey(f"m{index}", orcid, family, words.given()))
    return members


def plant_duplicates(plan: Plan, words: Words, rng: random.Random, existing: int) -> None:
    """Stored works that repeat some articles by DOI, PubMed ID or title, the rest unrelated,
    and articles that repeat earlier articles of the same file."""
    articles = plan.articles
    each = len(articles) // 25  # 400 of each kind in 10,000 articles, and 50 repeats
    chosen = rng.sample(range(len(articles) // 2, len(articles)), 3 * each + each // 8)
    by_doi = [i for i in chosen[:each] if articles[i].doi]
    for n, index in enumerate(by_doi):
        article = articles[index]
        doi = f"https://doi.org/{article.doi}".upper()
        plan.existing.append(WorkKey(f"d{n}", doi, None, article.title, None))
        plan.duplicates[index] = (f"d{n}", None, "doi")
    for n, index in enumerate(chosen[each : 2 * each]):
        article = articles[index]
        key = WorkKey(f"p{n}", None, f"PMID: {article.pmid}", article.title.upper(), None)
        plan.existing.append(key)
        plan.duplicates[index] = (f"p{n}", None, "pmid")
    for n, index in enumerate(chosen[2 * each : 3 * each]):
        plan.existing.append(title_twin(articles[index], f"t{n}", n, rng))
        plan.duplicates[index] = (f"t{n}", None, "title")
    repeat_in_file(plan, chosen[3 * each :], rng)
    while len(plan.existing) < existing:
        n = len(plan.existing)
        doi, pmid = f"10.6666/x.{n}", str(10_000_000 + n)
        plan.existing.append(WorkKey(f"x{n}", doi, pmid, words.title(), rng.choice(YEARS)))


def title_twin(article: Article, key_id: str, n: int, rng: random.Random) -> WorkKey:
    """A stored work with no identifiers whose title is the article's, slightly changed."""
    title, year = article.title, article.year
    change = n % 4
    if change == 0:
        title = title.upper().rstrip(".")
    elif change == 1:
        title = typo(title, rng)
    elif change == 2:
        title = title.replace(" and ", " & ").replace(" the ", " ")
    else:
        year += rng.choice((-1, 1))
    return WorkKey(key_id, None, None, title, year, "")


def typo(title: str, rng: random.Random) -> str:
    """The title with one letter dropped from its longest word."""
    words = title.split(" ")
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    position = rng.randrange(1, len(word) - 1)
    words[longest] = word[:position] + word[position + 1 :]
    return " ".join(words)


def repeat_in_file(plan: Plan, pairs: list[int], rng: random.Random) -> None:
    """Later articles that repeat an earlier, otherwise new, article (by DOI or PubMed ID)."""
    fresh = [i for i in range(len(plan.articles) // 2) if i not in plan.duplicates]
    originals = rng.sample(fresh, len(pairs))
    for n, (copy, original) in enumerate(zip(pairs, originals, strict=True)):
        source = plan.articles[original]
        target = plan.articles[copy]
        if n % 2 == 0 and source.doi:
            target.doi = source.doi
            plan.duplicates[copy] = (None, original, "doi")
        else:
            target.pmid, target.doi = source.pmid, None
            plan.duplicates[copy] = (None, original, "pmid")


def plant_authors(plan: Plan, words: Words, rng: random.Random) -> None:
    """Twenty authors per article: members planted by ORCID iD or by a variant of their name
    at known places, the rest other people (some with ORCID iDs of their own)."""
    with_orcid = [m for m in plan.members if m.orcid]
    without = [m for m in plan.members if not m.orcid]
    planted: dict[int, dict[int, tuple[MemberKey, str]]] = {}
    for kind, pool in (("orcid", with_orcid), ("name", without)):
        for _ in range(len(plan.articles) // 5):
            index = rng.randrange(len(plan.articles))
            slots = planted.setdefault(index, {})
            member = rng.choice(pool)
            taken = {m.id for m, _kind in slots.values()}
            position = rng.randint(1, AUTHORS_PER_WORK)
            if position in slots or member.id in taken:
                continue
            slots[position] = (member, kind)
            target = plan.orcid_slots if kind == "orcid" else plan.name_slots
            target.add((index, position, member.id))
    for index, article in enumerate(plan.articles):
        slots = planted.get(index, {})
        avoid = {fold_family(m.family) for m, _kind in slots.values()}
        article.authors = [
            written(slots[p], rng) if p in slots else stranger(words, avoid)
            for p in range(1, AUTHORS_PER_WORK + 1)
        ]


def fold_family(family: str) -> str:
    """A family name compared loosely, for keeping strangers apart from planted members."""
    return unidecode(family).lower().replace("-", " ")


def written(slot: tuple[MemberKey, str], rng: random.Random) -> Person:
    """A member as a byline might write them: in full, with initials, without accents…"""
    member, kind = slot
    if kind == "orcid":
        return Person(rng.choice(SYLLABLES).capitalize(), "X", member.orcid)
    first, *middle = member.given.split(" ")
    initials = name_initials(member.given)
    variants = [
        Person(member.family, member.given),
        Person(unidecode(member.family), " ".join([first, *(m[0] for m in middle)])),
        Person(member.family.replace("-", " "), initials),
        Person(member.family, " ".join(initials)),
    ]
    if len(member.family) >= 7 and " " not in member.family:
        variants.append(Person(member.family + member.family[-1], member.given))
    return rng.choice(variants)


def name_initials(given: str) -> str:
    """PubMed-style initials: ``Jean-Pierre Mary`` → ``JPM``."""
    return "".join(part[0] for part in given.replace("-", " ").split())


def stranger(words: Words, avoid: set[str]) -> Person:
    """An author who is no member, with a family name not among ``avoid``."""
    while True:
        family = words.rng.choice(words.surnames)
        if fold_family(family) not in avoid:
            break
    orcid = words.orcid() if words.rng.random() < 0.15 else None
    return Person(family, words.given(), orcid)


def write_pubmed(path: Path, plan: Plan, words: Words) -> None:
    """The articles as a PubMed XML file, one article at a time."""
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticleSet>\n')
        for article in plan.articles:
            out.write(article_xml(article, words))
        out.write("</PubmedArticleSet>\n")


def article_xml(article: Article, words: Words) -> str:
    """One PubmedArticle element, shaped like PubMed's own (journal, abstract, MeSH, ids)."""
    doi = escape(article.doi) if article.doi else ""
    elocation = f'<ELocationID EIdType="doi" ValidYN="Y">{doi}</ELocationID>' if doi else ""
    article_id = f'<ArticleId IdType="doi">{doi}</ArticleId>' if doi else ""
    authors = "".join(author_xml(person, words) for person in article.authors)
    third = ABSTRACT_CHARS // 3
    sections = "".join(
        f'<AbstractText Label="{label}">{escape(words.text(third))}</AbstractText>'
        for label in ("BACKGROUND", "METHODS", "RESULTS")
    )
    mesh = "".join(
        f'<MeshHeading><DescriptorName UI="D00{n}" MajorTopicYN="N">'
        f"{escape(words.rng.choice(words.vocabulary))}</DescriptorName></MeshHeading>"
        for n in range(8)
    )
    return f"""<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">
<PMID Version="1">{article.pmid}</PMID>
<DateCompleted><Year>{article.year}</Year><Month>05</Month><Day>02</Day></DateCompleted>
<Article PubModel="Print-Electronic"><Journal><ISSN IssnType="Electronic">1234-5678</ISSN>
<JournalIssue CitedMedium="Internet"><Volume>12</Volume><Issue>3</Issue>
<PubDate><Year>{article.year}</Year><Month>Mar</Month></PubDate></JournalIssue>
<Title>Journal of Clinical Education Research</Title>
<ISOAbbreviation>J Clin Educ Res</ISOAbbreviation></Journal>
<ArticleTitle>{escape(article.title)}</ArticleTitle>
<Pagination><MedlinePgn>101-110</MedlinePgn></Pagination>{elocation}
<Abstract>{sections}</Abstract>
<AuthorList CompleteYN="Y">{authors}</AuthorList><Language>eng</Language>
<PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType>
</PublicationTypeList></Article>
<MedlineJournalInfo><Country>United States</Country><MedlineTA>J Clin Educ Res</MedlineTA>
<NlmUniqueID>101234567</NlmUniqueID></MedlineJournalInfo>
<MeshHeadingList>{mesh}</MeshHeadingList></MedlineCitation>
<PubmedData><PublicationStatus>ppublish</PublicationStatus><ArticleIdList>
<ArticleId IdType="pubmed">{article.pmid}</ArticleId>{article_id}</ArticleIdList></PubmedData>
</PubmedArticle>
"""


def author_xml(person: Person, words: Words) -> str:
    """One Author element with initials, an affiliation and, if known, an ORCID iD."""
    initials = name_initials(person.given)
    orcid = (
        f'<Identifier Source="ORCID">https://orcid.org/{person.orcid}</Identifier>'
        if person.orcid
        else ""
    )
    place = escape(words.rng.choice(words.vocabulary).capitalize())
    return (
        f'<Author ValidYN="Y"><LastName>{escape(person.family)}</LastName>'
        f"<ForeName>{escape(person.given)}</ForeName><Initials>{initials}</Initials>{orcid}"
        f"<AffiliationInfo><Affiliation>Department of Medicine, University of {place}, "
        f"{place} City, Country.</Affiliation></AffiliationInfo></Author>"
    )


@dataclass
class Timings:
    """Wall and CPU times of the measured steps, in order."""

    steps: dict[str, tuple[float, float]] = field(default_factory=dict)

    def run(self, name: str, step: Callable[[], R]) -> R:
        """The step's result, its times noted under ``name``."""
        started, cpu = time.perf_counter(), time.process_time()
        value = step()
        self.steps[name] = (time.perf_counter() - started, time.process_time() - cpu)
        return value


def read(path: Path) -> list[WorkRecord]:
    """The works of the file, read with the streaming PubMed importer."""
    result = pubmed_xml.read(path.read_bytes(), filename=path.name)
    if result.errors:
        raise SystemExit(f"the generated file has unreadable records: {result.errors[:3]}")
    records: list[WorkRecord] = result.records
    return records


def check_duplicates(plan: Plan, matches: list[Match]) -> tuple[int, int]:
    """(missing planted, unplanted found) duplicates."""
    found = {
        m.incoming_index: (m.existing_id, m.duplicate_of_incoming_index, m.reason) for m in matches
    }
    missing = sum(1 for i, want in plan.duplicates.items() if found.get(i) != want)
    extra = sum(1 for i in found if i not in plan.duplicates)
    return missing, extra


def check_matches(plan: Plan, matches: list[AuthorMatch]) -> dict[str, int]:
    """Planted against found ORCID and name matches."""
    orcid = {(m.work_index, m.author_position, m.member_id) for m in matches if m.kind == "orcid"}
    names = {(m.work_index, m.author_position, m.member_id) for m in matches if m.kind == "name"}
    return {
        "orcid_missing": len(plan.orcid_slots - orcid),
        "orcid_extra": len(orcid - plan.orcid_slots),
        "name_missing": len(plan.name_slots - names),
        "name_other": len(names - plan.name_slots),
    }


def peak_megabytes() -> float:
    """The process's peak resident memory so far, in megabytes."""
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main(argv: list[str] | None = None) -> int:
    """Generate, import, check and report; 0 when everything planted was found."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--existing", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=20_120_301)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    words = Words(random.Random(args.seed))
    plan = make_plan(words, args.records, args.existing, args.members)
    timings = Timings()
    with tempfile.TemporaryDirectory(prefix="peermentor-bench-") as folder:
        path = Path(folder) / "pubmed.xml"
        write_pubmed(path, plan, words)
        # Only what the check needs stays: the generator's own copy of the articles would
        # otherwise count towards the import's peak memory.
        plan.articles.clear()
        gc.collect()
        generated = time.perf_counter() - started
        size = path.stat().st_size
        works = timings.run("read (streaming PubMed XML)", lambda: read(path))
    duplicates = timings.run("de-duplicate", lambda: find_duplicates(plan.existing, works))
    matches = timings.run("match authors", lambda: match_authors(works, plan.members))
    return report(plan, works, duplicates, matches, timings, generated, size)


def report(
    plan: Plan,
    works: list[WorkRecord],
    duplicates: list[Match],
    matches: list[AuthorMatch],
    timings: Timings,
    generated: float,
    size: int,
) -> int:
    """Print the figures and the planted-against-found counts; 1 when they differ."""
    slots = sum(len(w.authors) for w in works)
    print(
        f"generated {len(works):,} articles ({size / 1_048_576:.1f} MB, {slots:,} "
        f"author slots), {len(plan.existing):,} stored works, {len(plan.members):,} members "
        f"in {generated:.2f} s (not timed below)"
    )
    report_timings(timings)
    return report_checks(plan, duplicates, matches)


def report_timings(timings: Timings) -> None:
    """Each step's wall and CPU time, the total and peak memory against their targets."""
    print(f"  {'step':<30} {'wall':>8} {'CPU':>8}")
    for name, (wall, cpu) in timings.steps.items():
        print(f"  {name:<30} {wall:7.2f}s {cpu:7.2f}s")
    total = sum(wall for wall, _cpu in timings.steps.values())
    total_cpu = sum(cpu for _wall, cpu in timings.steps.values())
    peak = peak_megabytes()
    print(
        f"  {'total':<30} {total:7.2f}s {total_cpu:7.2f}s  target ≤ {TARGET_SECONDS:.0f} s: "
        f"{'met' if total <= TARGET_SECONDS else 'NOT MET'}"
    )
    print(
        f"  {'peak memory (ru_maxrss)':<30} {peak:7.1f} MB  target ≤ {TARGET_MEGABYTES:.0f} MB: "
        f"{'met' if peak <= TARGET_MEGABYTES else 'NOT MET'}"
    )
    load = os.getloadavg()[0]
    print(f"  load average {load:.1f} on {os.cpu_count()} cores (wall above CPU means waiting)")


def report_checks(plan: Plan, duplicates: list[Match], matches: list[AuthorMatch]) -> int:
    """Planted against found duplicates and matches; 1 when any planted one is missing or
    an unplanted duplicate or ORCID match appears."""
    missing, extra = check_duplicates(plan, duplicates)
    reasons = {
        r: sum(1 for d in plan.duplicates.values() if d[2] == r) for r in ("doi", "pmid", "title")
    }
    print(
        f"duplicates: planted {len(plan.duplicates)} ({reasons}), found {len(duplicates)}, "
        f"missing {missing}, unplanted {extra}"
    )
    found = check_matches(plan, matches)
    print(
        f"ORCID matches: planted {len(plan.orcid_slots)}, missing {found['orcid_missing']}, "
        f"unplanted {found['orcid_extra']}"
    )
    print(
        f"name matches: planted {len(plan.name_slots)}, missing {found['name_missing']}; "
        f"{found['name_other']} other name suggestions for the claim queue"
    )
    failed = missing or extra or found["orcid_missing"] or found["orcid_extra"]
    failed = failed or found["name_missing"]
    print("RESULT: " + ("FAILED — planted and found differ" if failed else "all planted found"))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
