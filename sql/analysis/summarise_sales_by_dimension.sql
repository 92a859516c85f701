-- mart: mart_sales_by_dimension
-- Realised revenue, orders, units and lines by one dimension at a time: category, size, ship
-- state, fulfilment, sales channel, service level. revenue_share is the member's share of the
-- range's realised revenue.
-- Parameters: $1 dataset, $2 first date, $3 last date (inclusive).
with lines as (
    select dataset, order_id, qty, revenue, is_realised, is_cancelled, category, size,
           coalesce(ship_state, 'Unknown') as ship_state, fulfilment, sales_channel, service_level
    from order_lines
    where dataset = $1
      and dt between cast($2 as date) and cast($3 as date)
),

members as (
    select dataset, 'category' as dimension, category as member, order_id, qty, revenue, is_realised, is_cancelled
    from lines
    union all
    select dataset, 'size', size, order_id, qty, revenue, is_realised, is_cancelled from lines
    union all
    select dataset, 'ship_state', ship_state, order_id, qty, revenue, is_realised, is_cancelled from lines
    union all
    select dataset, 'fulfilment', fulfilment, order_id, qty, revenue, is_realised, is_cancelled from lines
    union all
    select dataset, 'sales_channel', sales_channel, order_id, qty, revenue, is_realised, is_cancelled from lines
    union all
    select dataset, 'service_level', service_level, order_id, qty, revenue, is_realised, is_cancelled from lines
),

grouped as (
    select dataset, dimension, member,
           sum(revenue) as realised_revenue,
           count(distinct case when is_realised then order_id end) as orders,
           sum(case when is_realised then qty else 0 end) as units,
           count(*) as lines,
           sum(case when is_cancelled then 1 else 0 end) as cancelled_lines
    from members
    group by dataset, dimension, member
)

select dataset, dimension, member, realised_revenue, orders, units, lines, cancelled_lines,
       round(realised_revenue / nullif(sum(realised_revenue) over (partition by dataset, dimension), 0), 6)
           as revenue_share
from grouped
order by dimension, realised_revenue desc, member;
