"""Generate a table full of personal data, to time the LGPD screening and masking (deterministic).

UTF-8, ``;``: ``id``, ``nome`` (people's names), ``cpf`` (formatted, valid), ``email``,
``telefone``, ``historico`` (free text; 1 row in 100 carries “CPF 123.456.789-09”
inside it, 1 in 50 a person's name), ``valor``. About 150 bytes a row.

    python bench/opendata/gen_personal.py OUT.csv --rows 1000000
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

FIRST = ["Maria", "José", "Ana", "João", "Francisca", "Antônio", "Adriana", "Carlos", "Paulo"]
LAST = ["da Silva", "dos Santos", "Oliveira", "de Souza", "Pereira", "Lima", "Ferreira", "Alves"]
TEXT = ["Aquisição de material de consumo", "Pagamento de diárias", "Serviços de limpeza"]


def cpf(rng: random.Random) -> str:
    digits = [rng.randint(0, 9) for _ in range(9)]
    for size in (9, 10):
        total = sum(d * (size + 1 - i) for i, d in enumerate(digits[:size]))
        digits.append(total * 10 % 11 % 10)
    d = "".join(map(str, digits))
    return f"{d[:3]}.{d[3:6]}.{d[6:9]}-{d[9:]}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    rng = random.Random(8)
    with args.out.open("w", encoding="utf-8") as out:
        out.write("id;nome;cpf;email;telefone;historico;valor\n")
        for i in range(args.rows):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            text = f"{rng.choice(TEXT)} – processo {i}/2025"
            if i % 100 == 7:
                text = f"Pagamento a Fulano CPF {cpf(rng)} – processo {i}/2025"
            elif i % 50 == 3:
                text = f"Ressarcimento a {name} – processo {i}/2025"
            phone = f"(11) 9{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
            value = f"{rng.randint(1, 99999)},{rng.randint(0, 99):02d}"
            out.write(f"{i};{name};{cpf(rng)};pessoa{i}@exemplo.com.br;{phone};{text};{value}\n")


if __name__ == "__main__":
    main()
