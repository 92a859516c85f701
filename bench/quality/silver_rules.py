"""The cleaning rules of docs/contracts.md (silver order line), reduced to what the real sample needs:
enough to build a faithful silver fixture for the quality suites. Not the transform (glue/ is)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pyarrow as pa

STATES = [
    "ANDHRA PRADESH", "ARUNACHAL PRADESH", "ASSAM", "BIHAR", "CHHATTISGARH", "GOA", "GUJARAT",
    "HARYANA", "HIMACHAL PRADESH", "JHARKHAND", "KARNATAKA", "KERALA", "MADHYA PRADESH",
    "MAHARASHTRA", "MANIPUR", "MEGHALAYA", "MIZORAM", "NAGALAND", "ODISHA", "PUNJAB", "RAJASTHAN",
    "SIKKIM", "TAMIL NADU", "TELANGANA", "TRIPURA", "UTTAR PRADESH", "UTTARAKHAND", "WEST BENGAL",
    "ANDAMAN AND NICOBAR ISLANDS", "CHANDIGARH", "DADRA AND NAGAR HAVELI AND DAMAN AND DIU", "DELHI",
    "JAMMU AND KASHMIR", "LADAKH", "LAKSHADWEEP", "PUDUCHERRY",
]  # fmt: skip
STATE_ALIASES = {
    "ANDAMAN & NICOBAR": "ANDAMAN AND NICOBAR ISLANDS",
    "DADRA AND NAGAR": "DADRA AND NAGAR HAVELI AND DAMAN AND DIU",
    "JAMMU & KASHMIR": "JAMMU AND KASHMIR",
    "NL": "NAGALAND",
    "NEW DELHI": "DELHI",
    "RAJSHTHAN": "RAJASTHAN",
    "ORISSA": "ODISHA",
    "PONDICHERRY": "PUDUCHERRY",
}
CITY_ALIASES = {"BANGALORE": "BENGALURU", "GURGAON": "GURUGRAM"}
BUCKETS = {
    "Shipped": "realised", "Shipped - Delivered to Buyer": "realised", "Shipped - Picked Up": "realised",
    "Shipped - Out for Delivery": "realised", "Shipping": "realised", "Cancelled": "cancelled",
    "Shipped - Returned to Seller": "returned", "Shipped - Returning to Seller": "returned",
    "Shipped - Rejected by Buyer": "returned", "Pending": "pending",
    "Pending - Waiting for Pick Up": "pending", "Shipped - Lost in Transit": "lost_damaged",
    "Shipped - Damaged": "lost_damaged",
}  # fmt: skip

MONEY = pa.decimal128(12, 2)
SCHEMA = pa.schema(
    [
        ("dataset", pa.string(), False), ("dt", pa.date32(), False), ("order_id", pa.string(), False),
        ("sku", pa.string(), False), ("source_index", pa.int64()), ("order_date", pa.date32(), False),
        ("status", pa.string(), False), ("status_bucket", pa.string(), False), ("fulfilment", pa.string()),
        ("sales_channel", pa.string()), ("ship_service_level", pa.string()), ("style", pa.string()),
        ("asin", pa.string()), ("category", pa.string()), ("size", pa.string()),
        ("courier_status", pa.string()), ("qty", pa.int32()), ("currency", pa.string()), ("amount", MONEY),
        ("gross_amount", MONEY, False), ("realised_amount", MONEY, False), ("lost_amount", MONEY, False),
        ("ship_city", pa.string()), ("ship_city_raw", pa.string()), ("ship_state", pa.string()),
        ("ship_state_raw", pa.string()), ("ship_postal_code", pa.string()),
        ("ship_postal_code_raw", pa.string()), ("ship_country", pa.string()),
        ("promotion_ids", pa.list_(pa.string()), False), ("has_promotion", pa.bool_(), False),
        ("promo_count", pa.int32(), False), ("b2b", pa.bool_(), False), ("fulfilled_by", pa.string()),
        ("is_non_amazon", pa.bool_(), False), ("is_cancelled", pa.bool_(), False),
        ("dq_flags", pa.list_(pa.string()), False), ("kafka_partition", pa.int32()),
        ("kafka_offset", pa.int64()),
    ]
)  # fmt: skip


def _none(v: str) -> str | None:
    return v if v != "" else None


def clean_state(raw: str | None, flags: list[str]) -> str | None:
    if raw is None:
        return None
    s = re.sub(r"\s+", " ", raw.strip().upper())
    s = STATE_ALIASES.get(s, s)
    if s not in STATES:
        flags.append("state_unknown")
        return None
    if s != raw:
        flags.append("state_normalised")
    return s


def clean_city(raw: str | None, flags: list[str]) -> str | None:
    if raw is None:
        return None
    c = re.sub(r"[-\s]*\d{6}\b", "", raw)
    c = re.sub(r"[^\w\s]", " ", c).strip().upper()
    c = re.sub(r"\s+", " ", c)
    if not c or c.isdigit():
        flags.append("city_junk")
        return None
    return CITY_ALIASES.get(c, c)


def clean_pin(raw: str | None, flags: list[str]) -> str | None:
    if raw is None:
        return None
    p = raw[:-2] if raw.endswith(".0") else raw
    if not re.fullmatch(r"\d{6}", p) or p == "989898":
        flags.append("postal_code_placeholder" if p == "989898" else "postal_code_invalid")
        return None
    return p


def silver_row(src: dict[str, str], dataset: str, offset: int) -> dict | None:
    """One source row as a silver row, or None when the contract would quarantine it."""
    status = src["Status"]
    bucket = BUCKETS.get(status)
    if bucket is None:
        return None
    day = dt.datetime.strptime(src["Date"], "%m-%d-%y").date()
    amount = Decimal(src["Amount"]).quantize(Decimal("0.01")) if src["Amount"] else None
    channel = src["Sales Channel "].strip() or None
    gross = Decimal("0.00") if amount is None or channel == "Non-Amazon" else amount
    flags: list[str] = []
    promos = [p.strip() for p in src["promotion-ids"].split(",") if p.strip()]
    return {
        "dataset": dataset, "dt": day, "order_id": src["Order ID"], "sku": src["SKU"],
        "source_index": int(src["index"]), "order_date": day, "status": status, "status_bucket": bucket,
        "fulfilment": _none(src["Fulfilment"]), "sales_channel": channel,
        "ship_service_level": _none(src["ship-service-level"]), "style": _none(src["Style"]),
        "asin": _none(src["ASIN"]), "category": _none(src["Category"]), "size": _none(src["Size"]),
        "courier_status": _none(src["Courier Status"]), "qty": int(src["Qty"]),
        "currency": _none(src["currency"]), "amount": amount, "gross_amount": gross,
        "realised_amount": gross if bucket == "realised" else Decimal("0.00"),
        "lost_amount": gross if bucket == "cancelled" else Decimal("0.00"),
        "ship_city": clean_city(_none(src["ship-city"]), flags), "ship_city_raw": _none(src["ship-city"]),
        "ship_state": clean_state(_none(src["ship-state"]), flags),
        "ship_state_raw": _none(src["ship-state"]),
        "ship_postal_code": clean_pin(_none(src["ship-postal-code"]), flags),
        "ship_postal_code_raw": _none(src["ship-postal-code"]), "ship_country": _none(src["ship-country"]),
        "promotion_ids": promos, "has_promotion": bool(promos), "promo_count": len(promos),
        "b2b": src["B2B"] == "True", "fulfilled_by": _none(src["fulfilled-by"]),
        "is_non_amazon": channel == "Non-Amazon", "is_cancelled": bucket == "cancelled",
        "dq_flags": flags, "kafka_partition": offset % 3, "kafka_offset": offset,
    }  # fmt: skip
