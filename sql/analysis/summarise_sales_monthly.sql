-- mart: mart_sales_monthly
-- Realised revenue, orders, units and AOV per month, with month-over-month growth. A month with
-- fewer days in the range than it has (2022-03 holds only the 31st) is partial: its growth (and
-- the next month's) is null.
-- Parameters: $1 dataset, $2 first date, $3 last date (inclusive).
with lines as (
    select dataset, dt, order_id, qty, revenue, is_realised, year_month, month_start
    from order_lines
    where dataset = $1
      and dt between cast($2 as date) and cast($3 as date)
),

monthly as (
    select dataset, year_month, month_start,
           count(distinct dt) as days_present,
           sum(revenue) as realised_revenue,
           count(distinct case when is_realised then order_id end) as orders,
           sum(case when is_realised then qty else 0 end) as units
    from lines
    group by dataset, year_month, month_start
),

calendar as (
    select year_month, count(*) as days_in_month
    from dim_date
    where full_date is not null
    group by year_month
),

compared as (
    select m.*, c.days_in_month,
           lag(m.realised_revenue) over (partition by m.dataset order by m.month_start) as previous_revenue,
           lag(m.days_present = c.days_in_month) over (partition by m.dataset order by m.month_start)
               as previous_whole
    from monthly as m
    join calendar as c on c.year_month = m.year_month
)

select dataset, year_month, month_start, days_present, days_in_month,
       days_present < days_in_month as is_partial,
       realised_revenue, orders, units,
       round(realised_revenue / nullif(orders, 0), 2) as avg_order_value,
       previous_revenue,
       case when days_present = days_in_month and previous_whole and previous_revenue > 0
            then round((realised_revenue - previous_revenue) / previous_revenue, 6) end as growth
from compared
order by month_start;
