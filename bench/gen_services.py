"""Generate a catalogue of N services in the federal BNSP *detail* shape.

The variants are built from the demo municipality's own services
(``paco/catalog/data/demo_servicos.json``), so every ``orgao`` refers to a unit
that exists after ``paco demo``. Usage::

    python bench/gen_services.py 500 /tmp/servicos.json
"""

from __future__ import annotations

import copy
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "paco" / "catalog" / "data" / "demo_servicos.json"
WORDS = [
    "licença",
    "alvará",
    "certidão",
    "cadastro",
    "inscrição",
    "matrícula",
    "vistoria",
    "autorização",
    "renovação",
    "pedido",
    "consulta",
    "segunda",
    "via",
    "agendamento",
    "isenção",
    "parcelamento",
]


def generate(count: int, seed: int = 14129) -> list[dict[str, object]]:
    rng = random.Random(seed)
    templates = json.loads(TEMPLATES.read_text(encoding="utf-8"))
    services = []
    for index in range(count):
        item = copy.deepcopy(templates[index % len(templates)])
        word = rng.choice(WORDS)
        item["nome"] = f"{item['nome']} ({word} {index + 1:03d})"
        item.pop("slug", None)
        item["descricao"] = (
            f"{item.get('descricao', '')} Variante {index + 1} para medição de desempenho."
        )
        services.append(item)
    return services


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("servicos.json")
    target.write_text(json.dumps(generate(count), ensure_ascii=False), encoding="utf-8")
    print(f"{count} serviços gravados em {target}")


if __name__ == "__main__":
    main()
