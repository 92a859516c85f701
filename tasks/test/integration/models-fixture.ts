import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Pool } from '../../src/clients/db';
import { addDays, dateRange } from '../../src/dates';
import { repoRoot } from './helpers';

const WEEK = [1.3, 0.9, 0.95, 1.0, 0.85, 1.1, 1.2];
const CATEGORIES: [string, number][] = [
  ['Set', 0.4],
  ['kurta', 0.3],
  ['Western Dress', 0.2],
  ['Top', 0.1],
];

/**
 * Creates the marts with the analysis step's DDL (unqualified names: schema `marts` or the one given,
 * then the warehouse schema its view reads, which must be migrated). The rows come from this
 * fixture, not from the analysis step, so a model test needs no loaded facts.
 */
export async function createMarts(pool: Pool, warehouseSchema: string, marts = 'marts') {
  const client = await pool.connect();
  try {
    await client.query(`create schema if not exists ${marts}`);
    await client.query(`set search_path to ${marts}, ${warehouseSchema}`);
    await client.query(readFileSync(path.join(repoRoot, 'sql/marts/create_marts.sql'), 'utf8'));
  } finally {
    await client.query('reset search_path');
    client.release();
  }
}

async function insert(pool: Pool, table: string, rows: Record<string, unknown>[], marts: string) {
  const cols = Object.keys(rows[0]!);
  const params: unknown[] = [];
  const tuples = rows.map((r) => `(${cols.map((c) => `$${params.push(r[c])}`).join(', ')})`);
  await pool.query(`insert into ${marts}.${table} (${cols.join(', ')}) values ${tuples.join(', ')}`, params);
}

/** A deterministic wobble in [-1, 1] (no randomness: the fixture is the same every run). */
const wobble = (i: number) => Math.sin(i * 12.9898) * 0.999;

/**
 * Mart and feature rows of a synthetic dataset of `days` days ending at `to`: daily revenue with a
 * trend and a weekly pattern, four categories, 60 customers and 30 styles in three behaviour groups.
 */
export async function insertModelFixture(pool: Pool, dataset: string, to: string, days: number, marts = 'marts') {
  const from = addDays(to, 1 - days);
  const dates = dateRange(from, to);
  const daily = dates.map((dt, t) => {
    const revenue = Math.round((50_000 + 150 * t) * WEEK[new Date(dt).getUTCDay()]! * (1 + 0.04 * wobble(t)));
    const units = Math.round(revenue / 600);
    return { dt, revenue, units };
  });
  const total = daily.reduce((s, d) => s + d.revenue, 0);
  await insert(
    pool,
    'mart_build',
    [
      {
        dataset,
        dt_from: from,
        dt_to: to,
        run_id: 'fixture',
        built_at: '2026-12-03 00:00:00',
        fact_lines: days * 120,
        realised_revenue: total,
      },
    ],
    marts,
  );
  await insert(
    pool,
    'mart_sales_daily',
    daily.map((d) => ({
      dataset,
      dt: d.dt,
      realised_revenue: d.revenue,
      orders: d.units - 5,
      units: d.units,
      avg_order_value: Math.round((100 * d.revenue) / (d.units - 5)) / 100,
      lines: d.units + 20,
      realised_lines: d.units,
      cancelled_lines: 15,
      returned_lines: 5,
      gross_amount: d.revenue + 9000,
      lost_amount: 7000,
      returned_amount: 2000,
    })),
    marts,
  );
  await insert(
    pool,
    'mart_category_daily',
    daily.flatMap((d, t) =>
      CATEGORIES.map(([category, share], c) => ({
        dataset,
        dt: d.dt,
        category,
        realised_revenue: Math.round(d.revenue * share * (1 + 0.05 * wobble(t * 4 + c))),
        orders: Math.round(d.units * share) + 1,
        units: Math.round(d.units * share) + 1,
        lines: Math.round(d.units * share) + 3,
        cancelled_lines: 2,
      })),
    ),
    marts,
  );
  await insert(pool, 'features_customer_segments', customers(dataset, from, to), marts);
  await insert(pool, 'features_product_segments', products(dataset, from, to), marts);
  return { from, to };
}

/** Three groups of 20: big repeat buyers, one-time small buyers, cancel-prone buyers. */
function customers(dataset: string, from: string, to: string) {
  return Array.from({ length: 60 }, (_, i) => {
    const g = i % 3;
    const w = 1 + 0.1 * wobble(i);
    const orders = [7, 1, 2][g]!;
    const realised = [9000, 600, 300][g]! * w;
    return {
      dataset,
      as_of: to,
      customer_key: String(110001 + i * 37),
      orders,
      lines: orders * [2, 1, 1][g]!,
      units: orders * [3, 1, 1][g]!,
      gross_amount: realised * [1.05, 1.1, 3][g]!,
      realised_amount: realised,
      avg_order_value: (realised * [1.05, 1.1, 3][g]!) / orders,
      cancel_rate: [0.02, 0.05, 0.6][g]!,
      return_rate: [0.01, 0.02, 0.1][g]!,
      promo_share: [0.7, 0.2, 0.5][g]!,
      b2b_share: [0.3, 0, 0][g]!,
      distinct_categories: [4, 1, 1][g]!,
      days_since_last_order: [3, 40, 20][g]!,
      first_order_date: from,
      last_order_date: to,
    };
  });
}

/** Three groups of 10 styles: best sellers, premium slow sellers, often-cancelled styles. */
function products(dataset: string, from: string, to: string) {
  return Array.from({ length: 30 }, (_, i) => {
    const g = i % 3;
    const w = 1 + 0.1 * wobble(i + 100);
    const units = [400, 20, 60][g]! * w;
    return {
      dataset,
      as_of: to,
      style: `FX${1000 + i}`,
      category: ['Set', 'kurta', 'Top'][g]!,
      orders: Math.round(units * 0.9),
      lines: Math.round(units),
      units: Math.round(units),
      gross_amount: units * [500, 1800, 500][g]! * 1.3,
      realised_amount: units * [500, 1800, 500][g]!,
      avg_basket_lines: [1.4, 1.1, 1.0][g]!,
      avg_unit_price: [500, 1800, 500][g]!,
      cancel_rate: [0.05, 0.08, 0.5][g]!,
      return_rate: [0.01, 0.03, 0.1][g]!,
      b2b_share: [0.01, 0.02, 0.0][g]!,
      promo_share: [0.6, 0.1, 0.4][g]!,
      sizes: [7, 3, 5][g]!,
      top_size_share: [0.25, 0.6, 0.4][g]!,
      days_active: Math.min(days(from, to), [91, 12, 40][g]!),
      first_order_date: from,
      last_order_date: to,
    };
  });
}

const days = (from: string, to: string) => dateRange(from, to).length;
