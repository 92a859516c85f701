-- mart: features_customer_segments
-- The customer-segmentation features (expectations/features_customer_segments.json), one row per
-- customer as of the last date of the range (as_of). The customer is the 6-digit ship postal code, the
-- proxy for a customer id the data does not have; lines without one are left out.
-- Parameters: $1 dataset, $2 first date, $3 last date (inclusive) = as_of.
with lines as (
    select dataset, dt, order_id, customer_key, category, qty, gross_amount, revenue,
           is_cancelled, is_returned, has_promotion, is_b2b
    from order_lines
    where dataset = $1
      and dt between cast($2 as date) and cast($3 as date)
      and customer_key is not null
)

select dataset, cast($3 as date) as as_of, customer_key,
       count(distinct order_id) as orders,
       count(*) as lines,
       sum(qty) as units,
       sum(gross_amount) as gross_amount,
       sum(revenue) as realised_amount,
       round(sum(gross_amount) / count(distinct order_id), 2) as avg_order_value,
       round(1.0 * sum(case when is_cancelled then 1 else 0 end) / count(*), 6) as cancel_rate,
       round(1.0 * sum(case when is_returned then 1 else 0 end) / count(*), 6) as return_rate,
       round(1.0 * sum(case when has_promotion then 1 else 0 end) / count(*), 6) as promo_share,
       round(1.0 * sum(case when is_b2b then 1 else 0 end) / count(*), 6) as b2b_share,
       count(distinct category) as distinct_categories,
       cast($3 as date) - max(dt) as days_since_last_order,
       min(dt) as first_order_date,
       max(dt) as last_order_date
from lines
group by dataset, customer_key
order by customer_key;
