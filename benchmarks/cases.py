"""The benchmark cases at each scale, generated from the seed scenarios (deterministic), and the
workbook each is written to before it is measured."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from scheduler.samples import generate_case
from scheduler.workbook import write_case

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@dataclass(frozen=True)
class CaseSpec:
    seed: str  # file name in seeds/
    scale: int  # the seed's counties replicated this many times

    @property
    def label(self) -> str:
        return f"{self.seed.removesuffix('.toml').split('_')[0]}×{self.scale}"

    @classmethod
    def parse(cls, text: str) -> CaseSpec:
        """"datong_city.toml:7" or "datong_city:7" (scale 1 when left out)."""
        seed, _, scale = text.partition(":")
        seed = seed if seed.endswith(".toml") else seed + ".toml"
        if not (SEEDS / seed).is_file():
            known = ", ".join(sorted(p.name for p in SEEDS.glob("*.toml")))
            raise ValueError(f"no seed {seed!r} in seeds/ (known: {known})")
        return cls(seed, int(scale or 1))


#: county ≈ 3,000 teachers; city ≈ 40,000 teachers and 1,000+ schools; province ≈ 400,000.
SCALES: dict[str, tuple[CaseSpec, ...]] = {
    "county": (CaseSpec("lueyang_county.toml", 2), CaseSpec("tianjin_pairing.toml", 1)),
    "city": (CaseSpec("datong_city.toml", 7),),
    "province": (CaseSpec("datong_city.toml", 70),),
}


def prepare(spec: CaseSpec, folder: str) -> dict:
    """Generate the case and write it as a roster workbook in `folder`; sizes and seconds."""
    started = time.perf_counter()
    case = generate_case(SEEDS / spec.seed, scale=spec.scale)
    generated = time.perf_counter() - started
    path = Path(folder) / f"{spec.seed.removesuffix('.toml')}_x{spec.scale}.xlsx"
    started = time.perf_counter()
    write_case(case, path)
    return {"workbook": str(path), "teachers": len(case.teachers), "schools": len(case.schools),
            "links": len(case.links), "need_rows": len(case.demands), "generate_s": generated,
            "write_s": time.perf_counter() - started, "workbook_mb": path.stat().st_size / 1e6}
