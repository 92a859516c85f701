-- mart: mart_revenue_concentration
-- Revenue concentration: the share of realised revenue that the top 1 %, 5 % and 20 % of styles
-- (by revenue, among styles that sold; at least one style each) bring.
-- Parameters: $1 dataset, $2 first date, $3 last date (inclusive).
with styles as (
    select dataset, style, sum(revenue) as realised_revenue
    from order_lines
    where dataset = $1
      and dt between cast($2 as date) and cast($3 as date)
    group by dataset, style
    having sum(revenue) > 0
),

ranked as (
    select dataset, realised_revenue,
           row_number() over (partition by dataset order by realised_revenue desc, style) as style_rank,
           count(*) over (partition by dataset) as styles,
           sum(realised_revenue) over (partition by dataset) as total
    from styles
),

cuts as (
    select 1 as top_pct
    union all
    select 5
    union all
    select 20
),

sized as (
    select r.dataset, c.top_pct, r.style_rank, r.realised_revenue, r.total,
           case when ceiling(r.styles * c.top_pct / 100.0) < 1 then 1
                else ceiling(r.styles * c.top_pct / 100.0) end as top_n
    from ranked as r
    cross join cuts as c
)

select dataset, top_pct, cast(max(top_n) as int) as styles,
       round(sum(case when style_rank <= top_n then realised_revenue else 0 end) / max(total), 6)
           as revenue_share
from sized
group by dataset, top_pct
order by top_pct;
