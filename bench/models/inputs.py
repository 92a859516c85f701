"""Bench inputs straight from a generated source CSV (not through the pipeline): the daily realised
revenue of Amazon.in lines, and per-customer (ship postal code) behaviour features."""

import csv
import sys
from collections import defaultdict
from datetime import datetime

# DATA.md, rule 4: the statuses whose lines are realised revenue.
REALISED = {
    "Shipped",
    "Shipped - Delivered to Buyer",
    "Shipped - Picked Up",
    "Shipped - Out for Delivery",
    "Shipping",
}


def read(path: str):
    revenue: dict[str, float] = defaultdict(float)
    customers: dict[str, dict] = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            day = datetime.strptime(row["Date"], "%m-%d-%y").date().isoformat()
            amazon = row["Sales Channel "].strip() == "Amazon.in"
            realised = row["Status"] in REALISED and amazon
            amount = float(row["Amount"] or 0)
            if realised:
                revenue[day] += amount
            pin = row["ship-postal-code"].split(".")[0]
            if len(pin) != 6 or not pin.isdigit():
                continue
            c = customers.setdefault(
                pin,
                {
                    "orders": set(),
                    "lines": 0,
                    "units": 0,
                    "realised": 0.0,
                    "gross": 0.0,
                    "cancelled": 0,
                    "b2b": 0,
                    "promo": 0,
                    "cats": set(),
                },
            )
            c["orders"].add(row["Order ID"])
            c["lines"] += 1
            c["units"] += int(float(row["Qty"] or 0)) if realised else 0
            c["realised"] += amount if realised else 0.0
            c["gross"] += amount
            c["cancelled"] += row["Status"] == "Cancelled"
            c["b2b"] += row["B2B"] == "True"
            c["promo"] += bool(row["promotion-ids"])
            c["cats"].add(row["Category"])
    days = sorted(revenue)
    series = [round(revenue[d], 2) for d in days]
    features = []
    for pin in sorted(customers):
        c = customers[pin]
        orders = len(c["orders"])
        features.append(
            {
                "key": pin,
                "realised_amount": c["realised"],
                "orders": orders,
                "units": c["units"],
                "avg_order_value": c["gross"] / orders,
                "basket_lines": c["lines"] / orders,
                "cancel_rate": c["cancelled"] / c["lines"],
                "return_rate": 0.0,
                "b2b_share": c["b2b"] / c["lines"],
                "promo_share": c["promo"] / c["lines"],
                "distinct_categories": len(c["cats"]),
            }
        )
    return days, series, features


if __name__ == "__main__":
    import json

    days, series, features = read(sys.argv[1])
    json.dump({"days": days, "series": series, "features": features}, sys.stdout)
