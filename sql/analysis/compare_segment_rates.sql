-- mart: mart_segment_rates
-- Cancellation and return rates of lines by segment: customer type (B2B/B2C), fulfilment,
-- service level and ship state (states with fewer than 20 lines are folded into 'Other').
-- Parameters: $1 dataset, $2 first date, $3 last date (inclusive).
with lines as (
    select dataset, is_cancelled, is_returned, fulfilment, service_level,
           case when is_b2b then 'B2B' else 'B2C' end as customer_type,
           coalesce(ship_state, 'Unknown') as ship_state
    from order_lines
    where dataset = $1
      and dt between cast($2 as date) and cast($3 as date)
),

state_sizes as (
    select ship_state, count(*) as n from lines group by ship_state
),

segments as (
    select dataset, 'customer_type' as segment_kind, customer_type as segment, is_cancelled, is_returned
    from lines
    union all
    select dataset, 'fulfilment', fulfilment, is_cancelled, is_returned from lines
    union all
    select dataset, 'service_level', service_level, is_cancelled, is_returned from lines
    union all
    select l.dataset, 'ship_state', case when s.n >= 20 then l.ship_state else 'Other' end,
           l.is_cancelled, l.is_returned
    from lines as l
    join state_sizes as s on s.ship_state = l.ship_state
)

select dataset, segment_kind, segment,
       count(*) as lines,
       sum(case when is_cancelled then 1 else 0 end) as cancelled_lines,
       sum(case when is_returned then 1 else 0 end) as returned_lines,
       round(1.0 * sum(case when is_cancelled then 1 else 0 end) / count(*), 6) as cancel_rate,
       round(1.0 * sum(case when is_returned then 1 else 0 end) / count(*), 6) as return_rate
from segments
group by dataset, segment_kind, segment
order by segment_kind, lines desc, segment;
