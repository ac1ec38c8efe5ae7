"""Numbers and units as the reports print them: Dutch notation, units in the plural."""

from __future__ import annotations

from ..model.contract import COMPARATOR_SIGNS, Comparator
from ..model.rules import QuantityRules

# Units that are no counted noun (contract: ``Target.unit``).
MEASURES = ("%", "EUR", "label")


def nl_number(value: float | None, decimals: int = 2) -> str:
    """9170 → "9.170", 1157.95 → "1.157,95", 25.5 with ``decimals=1`` → "25,5"; None → "?"."""
    if value is None:
        return "?"
    value = round(value, decimals)
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.{decimals}f}".replace(",", "X").replace(".", ",").replace("X", ".")


def unit_plural(unit: str, rules: QuantityRules) -> str:
    """A counted noun in the plural ("woning" → "woningen"); a compound takes the plural of the
    noun it ends in ("nieuwbouwwoning" → "nieuwbouwwoningen"). Other units as they are."""
    if unit in rules.plurals:
        return rules.plurals[unit]
    noun = next((n for n in sorted(rules.plurals, key=len, reverse=True) if unit.endswith(n)), None)
    return unit[: -len(noun)] + rules.plurals[noun] if noun else unit


def unit_label(unit: str, value: float | None, value_max: float | None, rules: QuantityRules) -> str:
    """The unit as printed after the number: singular after exactly one, else plural."""
    return unit if value == 1 and value_max is None else unit_plural(unit, rules)


def amount_text(comparator: Comparator, value: float | None, value_max: float | None, unit: str, label: str | None, printed_unit: str) -> str:
    """An amount as a reader writes it: "≥ 80%", "4–6 woningen", "± € 6.533", "label A"."""
    sign = COMPARATOR_SIGNS[comparator]
    if unit == "label":
        return f"{sign} label {label}".strip()
    number = nl_number(value) if value_max is None else f"{nl_number(value)}–{nl_number(value_max)}"
    if unit == "EUR":
        return f"{sign} € {number}".strip()
    if unit == "%":
        return f"{sign} {number}%".strip()
    return f"{sign} {number} {printed_unit}".strip()


def unit_counted(unit: str, units: list[str]) -> bool:
    """Whether a target's unit is one of ``units`` or a compound ending in a counted one
    ("huurwoning" for "woning"; never "%" for anything but "%")."""
    return unit in units or (unit not in MEASURES and any(u not in MEASURES and unit.endswith(u) for u in units))
