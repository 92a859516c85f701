// Customers (the ship postal code is the customer proxy: the data has no customer id).
import { datasetsInScope, emit } from "../../lib/db.js";
import { mart, tableExists } from "../../lib/tables.js";

await emit(async (q, scope) => {
  const ds = await datasetsInScope(q, scope);
  const hasSegments = await tableExists(q, scope.marts, "segment_profile");
  return {
    customerType: await mart(
      q,
      scope.marts,
      ds,
      "mart_customer_type",
      "customer_type, customers, orders, lines, units, realised_revenue, avg_order_value, cancel_rate, return_rate",
      "customer_type",
    ),
    basket: await mart(
      q,
      scope.marts,
      ds,
      "mart_basket_size",
      "basket_lines, orders, avg_units, realised_revenue, avg_order_value, order_share",
      "basket_lines",
    ),
    repeat: await mart(
      q,
      scope.marts,
      ds,
      "mart_repeat_customers",
      "order_bucket, customers, orders, realised_revenue, customer_share, revenue_share",
      "order_bucket",
    ),
    promotion: await mart(
      q,
      scope.marts,
      ds,
      "mart_promotion_effect",
      "grouping, member, orders, lines, realised_revenue, avg_order_value, avg_units, cancel_rate",
      "grouping, realised_revenue desc",
    ),
    rates: await mart(
      q,
      scope.marts,
      ds,
      "mart_segment_rates",
      "segment_kind, segment, lines, cancelled_lines, returned_lines, cancel_rate, return_rate",
      "segment_kind, lines desc",
    ),
    segments: hasSegments
      ? await mart(
          q,
          scope.marts,
          ds,
          "segment_profile",
          "segment_id, segment_name, members, realised_revenue, description, features",
          "realised_revenue desc",
          "and kind = 'customer'",
        )
      : [],
  };
});
