-- Realised revenue and lines by PIN-zone region and state, with the share of cancelled lines.
-- Parameters: $1 dataset, $2 first date, $3 last date.
-- Why the physical design helps: every line of the range is needed, so no index would help;
-- partition pruning (PostgreSQL) and the sort key (Redshift) limit the scan to the range, and
-- dim_location (DISTSTYLE ALL) joins locally. Lines without an address appear as region Unknown.
with lines as (
    select f.location_key, f.realised_amount, f.is_cancelled
    from sales.fact_order_lines as f
    where f.dataset = $1
      and f.dt between cast($2 as date) and cast($3 as date)
      and not f.is_non_amazon
),

by_state as (
    select l.region, coalesce(l.state, 'Unknown') as state, count(*) as lines,
           sum(case when x.is_cancelled then 1 else 0 end) as cancelled_lines,
           sum(x.realised_amount) as realised_revenue
    from lines as x
    join sales.dim_location as l on l.location_key = x.location_key
    group by l.region, coalesce(l.state, 'Unknown')
)

select region, state, lines, round(100.0 * cancelled_lines / lines, 2) as cancelled_pct, realised_revenue
from by_state
order by realised_revenue desc, state;
