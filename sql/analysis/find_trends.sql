-- mart: mart_trend
-- Rising and declining styles and ship states: the least-squares slope of each one's weekly
-- realised revenue over the whole ISO weeks of the range (weeks with all 7 days present; a week
-- without a sale counts as 0). Only subjects with at least 3 whole weeks and 30 realised units in
-- them are ranked, so noise does not; a slope under 5 % of the subject's mean week is flat. A range
-- without 3 whole weeks (the real sample's 4 days) gives no rows.
-- Parameters: $1 dataset, $2 first date, $3 last date (inclusive).
with lines as (
    select dataset, dt, 'style' as subject_kind, style as subject, category, qty, revenue, is_realised,
           week_start
    from order_lines
    where dataset = $1
      and dt between cast($2 as date) and cast($3 as date)
    union all
    select dataset, dt, 'ship_state', coalesce(ship_state, 'Unknown'), '-', qty, revenue, is_realised,
           week_start
    from order_lines
    where dataset = $1
      and dt between cast($2 as date) and cast($3 as date)
),

weeks as (
    select week_start, row_number() over (order by week_start) - 1 as x
    from (
        select week_start from lines group by week_start having count(distinct dt) = 7
    ) as whole
),

subject_weeks as (
    select l.dataset, l.subject_kind, l.subject, max(l.category) as category, l.week_start,
           sum(l.revenue) as revenue,
           sum(case when l.is_realised then l.qty else 0 end) as units
    from lines as l
    join weeks as w on w.week_start = l.week_start
    group by l.dataset, l.subject_kind, l.subject, l.week_start
),

eligible as (
    select dataset, subject_kind, subject, max(category) as category
    from subject_weeks
    group by dataset, subject_kind, subject
    having sum(units) >= 30
),

grid as (
    select e.dataset, e.subject_kind, e.subject, e.category, w.x, coalesce(s.revenue, 0) as y
    from eligible as e
    cross join weeks as w
    left join subject_weeks as s
        on s.dataset = e.dataset and s.subject_kind = e.subject_kind and s.subject = e.subject
       and s.week_start = w.week_start
),

fitted as (
    select dataset, subject_kind, subject, max(category) as category, count(*) as n, sum(y) as total,
           (count(*) * sum(x * y) - sum(x) * sum(y))
               / nullif(count(*) * sum(1.0 * x * x) - sum(x) * sum(x), 0) as slope
    from grid
    group by dataset, subject_kind, subject
    having count(*) >= 3
),

labelled as (
    select dataset, subject_kind, subject, category, n, total, slope,
           slope / nullif(total / n, 0) as relative_slope
    from fitted
),

directed as (
    select l.*,
           case when relative_slope >= 0.05 then 'rising'
                when relative_slope <= -0.05 then 'declining'
                else 'flat' end as direction
    from labelled as l
)

select dataset, subject_kind, subject, category, cast(n as int) as weeks, total as realised_revenue,
       round(slope, 2) as slope_per_week, round(relative_slope, 6) as relative_slope, direction,
       row_number() over (partition by dataset, subject_kind, direction order by abs(slope) desc, subject)
           as trend_rank
from directed
order by subject_kind, direction, trend_rank;
