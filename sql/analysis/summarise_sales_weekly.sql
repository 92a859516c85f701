-- mart: mart_sales_weekly
-- Realised revenue, orders, units and AOV per ISO week, with week-over-week growth. A week with
-- fewer than 7 days in the range is partial: its growth (and the next week's) is null, never a
-- comparison of a part with a whole.
-- Parameters: $1 dataset, $2 first date, $3 last date (inclusive).
with lines as (
    select dataset, dt, order_id, qty, revenue, is_realised, iso_week_year, iso_week, week_start
    from order_lines
    where dataset = $1
      and dt between cast($2 as date) and cast($3 as date)
),

weekly as (
    select dataset, iso_week_year, iso_week, week_start,
           count(distinct dt) as days_present,
           sum(revenue) as realised_revenue,
           count(distinct case when is_realised then order_id end) as orders,
           sum(case when is_realised then qty else 0 end) as units
    from lines
    group by dataset, iso_week_year, iso_week, week_start
),

compared as (
    select w.*,
           lag(realised_revenue) over (partition by dataset order by week_start) as previous_revenue,
           lag(days_present) over (partition by dataset order by week_start) as previous_days
    from weekly as w
)

select dataset, iso_week_year, iso_week, week_start, days_present,
       days_present < 7 as is_partial,
       realised_revenue, orders, units,
       round(realised_revenue / nullif(orders, 0), 2) as avg_order_value,
       previous_revenue,
       case when days_present = 7 and previous_days = 7 and previous_revenue > 0
            then round((realised_revenue - previous_revenue) / previous_revenue, 6) end as growth
from compared
order by week_start;
