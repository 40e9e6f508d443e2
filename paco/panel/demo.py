"""``paco demo`` step: two years of Atendimento history, so the panel has something to show.

Several hundred cases across kinds and units — service requests from the demo Carta,
ouvidoria manifestations (anonymous and identity-preserved ones among them), e-SIC
requests — received over the 730 days before today, most concluded (some late, some
after an extension), the recent ones still open, about a third of the concluded ones
rated, e-SIC refusals appealed. Seeded (:data:`SEED`): the same history relative to the
day it is loaded. Requesters are fictional.

Every case is received through :func:`paco.atendimento.actions.open_case`, as a real
one would be (NUP, deadline, first event, audit entry). **Demo history:** what happened
*after* receipt (extension, conclusion, appeal, rating) is written here directly to the
case's fields and its timeline, marked ``{"demo": True}``, because it happened in the
past; it is not how the application changes a case (the transitions of
:mod:`paco.atendimento.actions` are).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from paco.accounts.models import User
from paco.atendimento.actions import Requester, open_case
from paco.atendimento.models import (
    Appeal,
    Case,
    CaseEvent,
    Channel,
    IdentityMode,
    Kind,
    OmbudsmanType,
    Outcome,
    Rating,
    Resolved,
    Status,
)
from paco.catalog.models import Service
from paco.panel import facts
from paco.panel.facts import TOWN_TIME_ZONE
from paco.tenancy.models import Municipality, Unit

SEED = 20260322
CASES = 300
DAYS = 730

#: services citizens ask for online in the demo, and how often (relative weights)
REQUESTED = [
    ("Conserto de iluminação pública", 14, "SEOB"),
    ("Conserto de buraco na rua", 14, "SEOB"),
    ("Poda ou corte de árvore", 10, "SEMA"),
    ("Recolhimento de entulho e galhos", 10, "SEOB"),
    ("Denúncia de terreno sujo", 6, "SEMA"),
    ("Parcelamento de dívidas do IPTU", 6, "DTRIB"),
    ("Alvará de construção", 4, "SEOB"),
    ("Cadastro Único", 5, "SAS"),
    ("Matrícula na rede municipal", 5, "SEDUC"),
    ("Castração gratuita", 4, "SEMA"),
    ("Licença ambiental", 2, "SEMA"),
    ("Segunda via do boleto do IPTU", 3, "DTRIB"),
]
SUBJECTS = {
    Kind.OMBUDSMAN: [
        ("SEOB", "Rua sem iluminação há semanas"),
        ("SEOB", "Buraco na Rua dos Ferroviários não foi consertado"),
        ("SMS", "Demora para marcar consulta na Unidade de Saúde"),
        ("SMS", "Atendimento na farmácia básica"),
        ("SEDUC", "Transporte escolar atrasado"),
        ("SAS", "Informação sobre o CadÚnico"),
        ("DTRIB", "Boleto do IPTU com valor errado"),
        ("SEMA", "Terreno baldio com lixo acumulado"),
        ("SEOB", "Coleta de galhos não passou"),
        ("SMS", "Falta de pediatra no posto do Centro"),
    ],
    Kind.INFORMATION: [
        ("SEAD", "Contratos de limpeza urbana de 2024"),
        ("SEAD", "Folha de pagamento por cargo"),
        ("SMS", "Fila de espera de cirurgias eletivas"),
        ("SEDUC", "Número de alunos por escola"),
        ("SEOB", "Gastos com recapeamento de ruas"),
        ("DTRIB", "Arrecadação de ISS por mês"),
        ("SEMA", "Licenças ambientais emitidas"),
    ],
}
OMBUDSMAN_TYPES = [
    (OmbudsmanType.COMPLAINT, 40),
    (OmbudsmanType.REQUEST, 18),
    (OmbudsmanType.SUGGESTION, 10),
    (OmbudsmanType.PRAISE, 10),
    (OmbudsmanType.REPORT, 7),
    ("anonimo", 15),
]
FIRST = [
    "Ana",
    "João",
    "Maria",
    "José",
    "Francisca",
    "Antônio",
    "Luíza",
    "Pedro",
    "Joana",
    "Raimundo",
]
LAST = ["Silva", "Souza", "Oliveira", "Pereira", "Lima", "Costa", "Ferreira", "Rodrigues"]


@dataclass(frozen=True)
class Draw:
    kind: str
    subject: str
    unit: Unit
    service: Service | None
    ombudsman_type: str
    anonymous: bool
    preserved: bool
    channel: str
    submitted_at: datetime.datetime


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _moment(day: datetime.date, rng: random.Random, *, late_ok: bool = True) -> datetime.datetime:
    hour = rng.choice([8, 9, 10, 11, 13, 14, 15, 16, 17] + ([20, 21] if late_ok else []))
    naive = datetime.datetime(day.year, day.month, day.day, hour, rng.randrange(60))
    return naive.replace(tzinfo=TOWN_TIME_ZONE)


def _draw(
    rng: random.Random,
    today: datetime.date,
    units: dict[str, Unit],
    services: list[tuple[Service, int]],
) -> Draw | None:
    kind = _weighted(rng, [(Kind.SERVICE, 58), (Kind.OMBUDSMAN, 27), (Kind.INFORMATION, 15)])
    day = today - datetime.timedelta(days=rng.randint(1, DAYS))
    channel = _weighted(
        rng,
        [(Channel.INTERNET, 72), (Channel.IN_PERSON, 15), (Channel.PHONE, 9), (Channel.LETTER, 4)],
    )
    service = None
    otype = ""
    anonymous = preserved = False
    if kind == Kind.SERVICE:
        service = rng.choices([s for s, _w in services], weights=[w for _s, w in services])[0]
        unit = service.unit
        subject = service.name
    else:
        acronym, subject = rng.choice(SUBJECTS[kind])  # type: ignore[index]
        unit = units.get(acronym) or next(iter(units.values()))
        if kind == Kind.OMBUDSMAN:
            otype = _weighted(rng, OMBUDSMAN_TYPES)
            anonymous = otype == "anonimo"
            preserved = not anonymous and rng.random() < 0.2
            if anonymous:
                otype, channel = OmbudsmanType.COMMUNICATION, Channel.INTERNET
    return Draw(
        kind, subject, unit, service, otype, anonymous, preserved, channel, _moment(day, rng)
    )


def _requester(rng: random.Random) -> Requester:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    slug = f"{first}.{last}".lower().translate(str.maketrans("áéíóúâêôãõç", "aeiouaeoaoc"))
    return Requester(
        name=f"{first} {last} (fictício)", email=f"{slug}@exemplo.invalid", document="RG fictício"
    )


def _event(case: Case, at: datetime.datetime, code: str, text: str) -> CaseEvent:
    return CaseEvent(
        municipality_id=case.municipality_id,
        case=case,
        at=at,
        code=code,
        unit=case.unit,
        text=text,
        data={"demo": True},
    )


def _handling_days(rng: random.Random, case: Case, extended: bool) -> int:
    if case.due_on is None:
        return rng.randint(0, 12)
    allowed = (case.due_on - case.received_on).days
    if rng.random() < 0.13:  # late
        return allowed + rng.randint(1, 25)
    if extended:
        return rng.randint(max(allowed - 25, 0), allowed)
    return min(int(rng.triangular(0, allowed, allowed * 0.35)), allowed)


def _outcome(rng: random.Random, kind: str) -> str:
    if kind == Kind.SERVICE:
        return _weighted(rng, [(Outcome.GRANTED, 85), (Outcome.DENIED, 15)])
    if kind == Kind.INFORMATION:
        return _weighted(
            rng,
            [
                (Outcome.ANSWERED, 72),
                (Outcome.PARTIAL, 10),
                (Outcome.DENIED, 12),
                (Outcome.FORWARDED, 6),
            ],
        )
    return Outcome.ANSWERED


def _rating(rng: random.Random, case: Case, late: bool) -> Rating:
    bad = late or case.outcome == Outcome.DENIED
    weights = [20, 25, 25, 20, 10] if bad else [3, 5, 12, 38, 42]
    score = rng.choices([1, 2, 3, 4, 5], weights=weights)[0]
    if score >= 4:
        resolved = _weighted(rng, [(Resolved.YES, 85), (Resolved.PARTLY, 15)])
    elif score == 3:
        resolved = _weighted(rng, [(Resolved.YES, 30), (Resolved.PARTLY, 50), (Resolved.NO, 20)])
    else:
        resolved = _weighted(rng, [(Resolved.PARTLY, 30), (Resolved.NO, 70)])
    return Rating(municipality_id=case.municipality_id, case=case, score=score, resolved=resolved)


def _history(
    rng: random.Random, case: Case, today: datetime.date, events: list[CaseEvent]
) -> list[Rating]:
    """Demo history: what happened to ``case`` after it was received (direct field updates)."""
    ratings: list[Rating] = []
    extended = case.due_on is not None and case.kind != Kind.SERVICE and rng.random() < 0.12
    if extended:
        assert case.due_on is not None
        extra = 30 if case.kind == Kind.OMBUDSMAN else 10
        when = _moment(case.due_on - datetime.timedelta(days=3), rng, late_ok=False)
        if when.date() < today:
            case.due_on += datetime.timedelta(days=extra)
            case.extended_at = when
            case.extension_reason = "A unidade precisa consultar outro setor para responder."
            events.append(_event(case, when, "extended", "Prazo prorrogado"))
    days = _handling_days(rng, case, extended)
    done_on = case.received_on + datetime.timedelta(days=days)
    stuck = case.due_on is not None and rng.random() < 0.04  # forgotten: open and late
    if done_on >= today or stuck:  # not yet: still open (some already past due)
        case.status = rng.choice([Status.IN_PROGRESS, Status.IN_PROGRESS, Status.RECEIVED])
        if case.kind == Kind.SERVICE and rng.random() < 0.15:
            case.status = Status.WAITING_CITIZEN
        return ratings
    case.status = Status.CONCLUDED
    case.concluded_at = _moment(done_on, rng, late_ok=False)
    case.outcome = _outcome(rng, case.kind)
    case.conclusion = "Atendimento concluído pela unidade responsável."
    events.append(_event(case, case.concluded_at, "concluded", "Concluído"))
    late = case.due_on is not None and done_on > case.due_on
    if rng.random() < 0.36:
        ratings.append(_rating(rng, case, late))
    if case.kind == Kind.INFORMATION and case.outcome in (Outcome.DENIED, Outcome.PARTIAL):
        _appeals(rng, case, today)
    return ratings


def _appeals(rng: random.Random, case: Case, today: datetime.date) -> None:
    assert case.concluded_at is not None
    filed = case.concluded_at + datetime.timedelta(days=rng.randint(1, 9))
    for level in (1, 2):
        if filed.date() >= today or rng.random() < 0.4:
            return
        decided = filed + datetime.timedelta(days=rng.randint(1, 5))
        open_appeal = decided.date() >= today
        upheld = None if open_appeal else rng.random() < 0.3
        Appeal.objects.create(
            municipality_id=case.municipality_id,
            case=case,
            level=level,
            filed_at=filed,
            reasons="Peço a revisão da resposta.",
            due_on=filed.date() + datetime.timedelta(days=5),
            decided_at=None if open_appeal else decided,
            upheld=upheld,
            decision="" if open_appeal else "Decisão da autoridade superior.",
        )
        if open_appeal:
            case.status = Status.APPEALED
            return
        if upheld:
            return
        filed = decided + datetime.timedelta(days=rng.randint(1, 9))


def _services(town: Municipality) -> list[tuple[Service, int]]:
    published = list(Service.objects.for_municipality(town).select_related("unit"))
    chosen = []
    for prefix, weight, _acronym in REQUESTED:
        match = next((s for s in published if s.name.startswith(prefix)), None)
        if match is not None:
            chosen.append((match, weight))
    return chosen


def load(town: Municipality, units: dict[str, Unit], *, count: int = CASES) -> int:
    """Load the history (nothing when the town already has cases); returns the cases made."""
    if Case.objects.for_municipality(town).exists():
        return 0
    services = _services(town)
    if not services or not units:
        return 0
    clerk = User.objects.filter(username="admin").first()
    rng = random.Random(SEED)  # noqa: S311 (a seeded demo, not a secret)
    today = datetime.datetime.now(TOWN_TIME_ZONE).date()
    draws = sorted(
        (d for d in (_draw(rng, today, units, services) for _ in range(count)) if d),
        key=lambda d: d.submitted_at,
    )
    with facts.rebuilt_after(town):
        _load(town, draws, rng, today, clerk)
    return len(draws)


def _load(
    town: Municipality,
    draws: list[Draw],
    rng: random.Random,
    today: datetime.date,
    clerk: User | None,
) -> None:
    events: list[CaseEvent] = []
    ratings: list[Rating] = []
    for draw in draws:
        channel = draw.channel if clerk is not None else Channel.INTERNET
        mode = (
            IdentityMode.ANONYMOUS
            if draw.anonymous
            else IdentityMode.PRESERVED
            if draw.preserved
            else IdentityMode.IDENTIFIED
        )
        case = open_case(
            town,
            kind=draw.kind,
            subject=draw.subject,
            description="Pedido de demonstração.",
            requester=Requester() if draw.anonymous else _requester(rng),
            identity_mode=mode,
            ombudsman_type=draw.ombudsman_type,
            service=draw.service,
            unit=draw.unit,
            channel=channel,
            submitted_at=draw.submitted_at,
            actor=clerk if channel != Channel.INTERNET else None,
        ).case
        ratings += _history(rng, case, today, events)
        case.save()  # demo history (see the module's docstring); the panel's row follows
    CaseEvent.objects.bulk_create(events)
    Rating.objects.bulk_create(ratings)
