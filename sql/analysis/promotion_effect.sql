-- Promotion effect: lines, allocated realised revenue and cancellation rate per promotion type,
-- next to lines without any promotion. A line with n promotions counts 1/n toward each
-- (bridge weighting_factor), so the allocated revenue adds up to the total.
-- Parameters: $1 dataset, $2 first date, $3 last date.
-- Why the physical design helps: the bridge stores each distinct promotion set once (hundreds of
-- rows), so the join from millions of lines is a small hash join (DISTSTYLE ALL on Redshift).
with lines as (
    select f.promotion_group_key, f.realised_amount, f.is_cancelled
    from sales.fact_order_lines as f
    where f.dataset = $1
      and f.dt between cast($2 as date) and cast($3 as date)
      and not f.is_non_amazon
),

weighted as (
    select coalesce(p.promotion_type, 'no promotion') as promotion_type,
           coalesce(b.weighting_factor, 1) as weight, l.realised_amount, l.is_cancelled
    from lines as l
    left join sales.bridge_order_line_promotion as b on b.promotion_group_key = l.promotion_group_key
    left join sales.dim_promotion as p on p.promotion_key = b.promotion_key
)

select promotion_type, round(sum(weight), 2) as weighted_lines,
       round(sum(realised_amount * weight), 2) as allocated_revenue,
       round(100.0 * sum(case when is_cancelled then weight else 0 end) / sum(weight), 2) as cancellation_pct
from weighted
group by promotion_type
order by allocated_revenue desc;
