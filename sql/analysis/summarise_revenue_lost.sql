-- mart: mart_revenue_lost
-- What did not become revenue: the gross amount of every line outside the realised bucket
-- (cancelled, returned, pending, lost or damaged), by bucket and raw status, and its share of the
-- gross amount of every line in the range.
-- Parameters: $1 dataset, $2 first date, $3 last date (inclusive).
with lines as (
    select dataset, status_bucket, status, gross_amount
    from order_lines
    where dataset = $1
      and dt between cast($2 as date) and cast($3 as date)
),

total as (
    select sum(gross_amount) as gross from lines
)

select l.dataset, l.status_bucket, l.status, count(*) as lines, sum(l.gross_amount) as gross_amount,
       round(sum(l.gross_amount) / nullif(max(t.gross), 0), 6) as share_of_gross
from lines as l
cross join total as t
where l.status_bucket <> 'realised'
group by l.dataset, l.status_bucket, l.status
order by gross_amount desc, l.status;
