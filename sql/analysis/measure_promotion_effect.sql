-- mart: mart_promotion_effect
-- Promotion usage and its effect on basket value, two groupings in one mart:
--   order: Amazon.in orders with at least one promoted line against those without;
--   type:  revenue allocated to each promotion type; a line with n promotions counts 1/n toward
--          each (the bridge's weighting_factor), so the allocations add up to the total.
-- Parameters: $1 dataset, $2 first date, $3 last date (inclusive).
with lines as (
    select dataset, order_id, qty, revenue, is_realised, is_cancelled, has_promotion, promotion_group_key
    from order_lines
    where dataset = $1
      and dt between cast($2 as date) and cast($3 as date)
      and not is_non_amazon
),

orders as (
    select dataset, order_id,
           max(case when has_promotion then 1 else 0 end) as promoted,
           count(*) as lines, sum(qty) as units, sum(revenue) as revenue,
           max(case when is_realised then 1 else 0 end) as realised,
           sum(case when is_cancelled then 1 else 0 end) as cancelled_lines
    from lines
    group by dataset, order_id
),

by_order as (
    select dataset, 'order' as grouping,
           case when promoted = 1 then 'with promotion' else 'without promotion' end as member,
           1.0 * count(*) as orders, 1.0 * sum(lines) as lines, sum(revenue) as realised_revenue,
           round(sum(revenue) / nullif(sum(realised), 0), 2) as avg_order_value,
           round(1.0 * sum(units) / count(*), 4) as avg_units,
           round(1.0 * sum(cancelled_lines) / sum(lines), 6) as cancel_rate
    from orders
    group by dataset, promoted
),

weighted as (
    select l.dataset, l.order_id, l.qty, l.revenue, l.is_realised, l.is_cancelled,
           coalesce(p.promotion_type, 'no promotion') as promotion_type,
           coalesce(b.weighting_factor, 1) as weight
    from lines as l
    left join bridge_order_line_promotion as b on b.promotion_group_key = l.promotion_group_key
    left join dim_promotion as p on p.promotion_key = b.promotion_key
),

by_type as (
    select dataset, 'type' as grouping, promotion_type as member,
           round(sum(weight * (case when is_realised then 1 else 0 end)), 2) as orders,
           round(sum(weight), 2) as lines,
           round(sum(revenue * weight), 2) as realised_revenue,
           round(sum(revenue * weight) / nullif(sum(weight * (case when is_realised then 1 else 0 end)), 0), 2)
               as avg_order_value,
           round(sum(weight * qty) / sum(weight), 4) as avg_units,
           round(sum(case when is_cancelled then weight else 0 end) / sum(weight), 6) as cancel_rate
    from weighted
    group by dataset, promotion_type
)

select dataset, grouping, member, orders, lines, realised_revenue, avg_order_value, avg_units, cancel_rate
from by_order
union all
select dataset, grouping, member, orders, lines, realised_revenue, avg_order_value, avg_units, cancel_rate
from by_type
order by grouping, realised_revenue desc, member;
