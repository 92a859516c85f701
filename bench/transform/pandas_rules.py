"""The cleaning rules of glue/jobs/order_lines written the way public notebooks clean this dataset:
one pandas DataFrame in memory, vectorised string methods, dict lookups, `duplicated`. The bench's
peer of the Spark job (same input, same rules, same outputs); not used by the pipeline.

Reference data come from the same versioned CSV files (glue/jobs/order_lines/reference/).
"""

import re

import numpy as np
import pandas as pd

STATUS_BUCKETS = {
    "Shipped": "realised",
    "Shipped - Delivered to Buyer": "realised",
    "Shipped - Picked Up": "realised",
    "Shipped - Out for Delivery": "realised",
    "Shipping": "realised",
    "Cancelled": "cancelled",
    "Shipped - Returned to Seller": "returned",
    "Shipped - Returning to Seller": "returned",
    "Shipped - Rejected by Buyer": "returned",
    "Pending": "pending",
    "Pending - Waiting for Pick Up": "pending",
    "Shipped - Lost in Transit": "lost_damaged",
    "Shipped - Damaged": "lost_damaged",
}
JUNK = {"NA", "N A", "NULL", "NONE", "NIL", "TEST", "XXX", "XX", "ABC", "CITY"}
ADMIN = re.compile(r"\b(DISTRICT|DIST|DT|TEHSIL|TALUKA|TALUK|TQ|POST OFFICE|PO|P O|VIA|NEAR)\b")


def state_key(s: str) -> str:
    s = s.strip().upper().replace("&", " AND ").replace(".", "")
    return re.sub(r"\s+", " ", s).strip()


def types_and_dates(df: pd.DataFrame, flags: dict, bad: dict) -> None:
    qty = df["qty"].astype("string").str.strip()
    ok = qty.str.fullmatch(r"[0-9]{1,9}").fillna(False)
    bad["qty_type"] = qty.notna() & ~ok
    flags["qty_missing"] = qty.isna()
    df["qty"] = pd.to_numeric(qty.where(ok), errors="coerce").astype("Int32")
    amount = df["amount"].astype("string").str.strip()
    ok = amount.str.fullmatch(r"-?[0-9]{1,10}(\.[0-9]{1,2})?").fillna(False)
    bad["amount_type"] = amount.notna() & ~ok
    df["amount"] = pd.to_numeric(amount.where(ok), errors="coerce")
    b2b = df["b2b"].astype("string").str.strip().str.lower()
    bad["b2b_type"] = ~b2b.isin(["true", "false"]).fillna(False)
    df["b2b"] = b2b == "true"
    pin = df["ship_postal_code"].astype("string").str.strip()
    digits = pin.str.extract(r"^([0-9]{6})(?:\.0+)?$")[0]
    flags["postal_code_placeholder"] = digits == "989898"
    flags["postal_code_invalid"] = pin.notna() & digits.isna()
    df["ship_postal_code_raw"] = df["ship_postal_code"]
    df["ship_postal_code"] = digits.where(digits != "989898")
    date = df["date"].astype("string").str.strip()
    shaped = date.str.fullmatch(r"[0-9]{2}-[0-9]{2}-[0-9]{2}").fillna(False)
    parsed = pd.to_datetime(date.where(shaped), format="%m-%d-%y", errors="coerce")
    bad["date_format"] = ~shaped
    bad["date_invalid"] = shaped & parsed.isna()
    bad["date_partition"] = parsed.notna() & (parsed.dt.date != df["dt"])
    df["order_date"] = parsed.dt.date
    bad["missing_value"] = df["order_id"].isna() | df["sku"].isna()


def status_and_revenue(df: pd.DataFrame, flags: dict, bad: dict) -> None:
    df["status_bucket"] = df["status"].str.strip().map(STATUS_BUCKETS)
    bad["status_bucket"] = df["status_bucket"].isna()
    df["sales_channel"] = df["sales_channel"].str.strip()
    df["is_non_amazon"] = df["sales_channel"] == "Non-Amazon"
    flags["non_amazon_amount_ignored"] = df["is_non_amazon"] & df["amount"].notna()
    flags["amount_missing"] = df["amount"].isna() & ~df["is_non_amazon"]
    gross = np.where(df["is_non_amazon"], 0.0, df["amount"].fillna(0.0))
    df["gross_amount"] = gross
    df["realised_amount"] = np.where(df["status_bucket"] == "realised", gross, 0.0)
    df["lost_amount"] = np.where(df["status_bucket"] == "cancelled", gross, 0.0)
    df["is_cancelled"] = df["status_bucket"] == "cancelled"


def resolve_state(raw, pin, ref) -> tuple:
    """(state, flags) for one (raw text, cleaned PIN) pair."""
    key = state_key(raw) if isinstance(raw, str) else None
    direct = key if key in ref.states else None
    alias = ref.state_aliases.get(key) or None if key else None
    text = direct or alias
    zone = ref.pin_zones.get(pin[:2]) if isinstance(pin, str) else None
    single = zone[0] if zone and len(zone) == 1 else None
    agrees = zone is None or text in zone
    if text and agrees:
        state = text
    elif text:
        state = single or text
    else:
        state = single
    out = []
    if not direct and alias:
        out.append("state_alias")
    if text and not agrees:
        out.append("state_pin_conflict")
    if single and (not text or not agrees):
        out.append("state_from_pin")
    if key and state is None:
        out.append("state_unresolved")
    return state, out


def clean_city(raw, ref) -> tuple:
    """(city, flags) for one raw city text."""
    if not isinstance(raw, str):
        return None, []
    text = re.sub(r"\([^)]*\)?", " ", raw.upper())
    had_pin = re.search(r"(^|[^0-9])[0-9]{6}([^0-9]|$)", text) is not None
    parts = []
    for fragment in text.split(","):
        f = re.sub(r"\s+", " ", ADMIN.sub(" ", re.sub(r"[^A-Z ]", " ", fragment))).strip()
        if f:
            parts.append((f, ref.cities.get(f, f)))
    known = ref.known_cities
    states = set(ref.states) | {a for a in ref.state_aliases if len(a) > 2}
    placeish = [p for p in parts if p[1] in known or state_key(p[0]) not in states]
    named = placeish or parts
    chosen = next((p for p in named if p[1] in known), named[-1] if named else None)
    city = chosen[1] if chosen else None
    junk = city is None or len(re.sub("[^A-Z]", "", city)) < 3 or city in JUNK
    out = (["city_pin_stripped"] if had_pin else []) + (["city_fragment"] if len(parts) > 1 else [])
    if not junk and chosen[0] != city:
        out.append("city_alias")
    if junk:
        out.append("city_junk")
    return (None if junk else city), out


def geography_and_promotions(df: pd.DataFrame, ref, flags: dict) -> list:
    """State and city through lookups over distinct values (the usual pandas trick); returns the
    per-row geography flags."""
    pairs = df[["ship_state", "ship_postal_code"]].drop_duplicates()
    state_map = {(s, p): resolve_state(s, p, ref) for s, p in pairs.itertuples(index=False)}
    states = [state_map[k] for k in zip(df["ship_state"], df["ship_postal_code"], strict=True)]
    df["ship_state_raw"] = df["ship_state"]
    df["ship_state"] = [s for s, _ in states]
    city_map = {c: clean_city(c, ref) for c in df["ship_city"].dropna().unique()}
    cities = [city_map.get(c, (None, [])) if isinstance(c, str) else (None, []) for c in df["ship_city"]]
    df["ship_city_raw"] = df["ship_city"]
    df["ship_city"] = [c for c, _ in cities]
    ids = [
        list(dict.fromkeys(x.strip() for x in p.split(",") if x.strip())) if isinstance(p, str) else []
        for p in df["promotion_ids"]
    ]
    raw_counts = [
        len([x for x in p.split(",") if x.strip()]) if isinstance(p, str) else 0 for p in df["promotion_ids"]
    ]
    df["promotion_ids"] = ids
    df["promo_count"] = np.array([len(i) for i in ids], dtype="int32")
    df["has_promotion"] = df["promo_count"] > 0
    flags["promotion_repeated_ids"] = pd.Series(
        np.array(raw_counts) > df["promo_count"].to_numpy(), index=df.index
    )
    return [s[1] + c[1] for s, c in zip(states, cities, strict=True)]
