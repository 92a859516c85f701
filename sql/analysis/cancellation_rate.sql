-- Cancellation rate (share of lines whose status bucket is cancelled) by ISO week and fulfilment.
-- Parameters: $1 dataset, $2 first date, $3 last date.
-- Why the physical design helps: a week or a month is a narrow dt range: PostgreSQL reads only its
-- day partitions (or one or two monthly partitions of a warehouse loaded before day partitions);
-- Redshift's (dataset, dt) sort key skips the blocks of other dates.
with lines as (
    select f.date_key, f.fulfilment_key, f.is_cancelled, f.lost_amount
    from sales.fact_order_lines as f
    where f.dataset = $1
      and f.dt between cast($2 as date) and cast($3 as date)
),

weekly as (
    select d.iso_week_year, d.iso_week, ff.fulfilment, count(*) as lines,
           sum(case when l.is_cancelled then 1 else 0 end) as cancelled_lines,
           sum(l.lost_amount) as lost_amount
    from lines as l
    join sales.dim_date as d on d.date_key = l.date_key
    join sales.dim_fulfilment as ff on ff.fulfilment_key = l.fulfilment_key
    group by d.iso_week_year, d.iso_week, ff.fulfilment
)

select iso_week_year, iso_week, fulfilment, lines, cancelled_lines,
       round(100.0 * cancelled_lines / lines, 2) as cancellation_pct, lost_amount
from weekly
order by iso_week_year, iso_week, fulfilment;
