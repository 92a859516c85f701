// Opens every page of a served site in headless Chromium and reports what a user would see broken:
// console errors, requests leaving 127.0.0.1, charts without data marks; with the KPI values,
// load time and data payload of each page, and a screenshot of each.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

export const PAGES = ["/", "/sales", "/customers", "/products", "/quality"];

// Plot's mark groups that draw data (axes, grids and rules are not data).
const DATA_MARKS = ["bar", "line", "area", "dot", "cell", "rect", "text"];

export async function checkSite(baseUrl, { screenshots = null, pages = PAGES } = {}) {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
  const report = [];
  try {
    for (const page of pages) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const tab = await context.newPage();
      const errors = [];
      const external = [];
      let dataBytes = 0;
      tab.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      tab.on("pageerror", (e) => errors.push(String(e)));
      tab.on("request", (r) => {
        const host = new URL(r.url()).hostname;
        if (!["127.0.0.1", ""].includes(host) && !r.url().startsWith("data:")) external.push(r.url());
      });
      // Block what would leave the machine, so a stray request fails fast instead of hanging.
      await tab.route((url) => url.hostname !== "127.0.0.1", (route) => route.abort());
      tab.on("response", async (r) => {
        if (r.url().includes("/_file/")) dataBytes += (await r.body().catch(() => Buffer.alloc(0))).length;
      });
      const started = Date.now();
      await tab.goto(baseUrl + page, { waitUntil: "load" });
      const loadMs = Date.now() - started;
      await tab.waitForLoadState("networkidle");
      await tab.waitForFunction(() => !document.querySelector(".observablehq--loading"), null, { timeout: 10_000 }).catch(() => undefined);
      const renderedMs = Date.now() - started;
      const facts = await tab.evaluate((marks) => {
        const selector = marks.map((m) => `g[aria-label="${m}"] > *`).join(", ");
        const charts = [...document.querySelectorAll("[data-chart]")].map((el) => ({
          name: el.dataset.chart,
          rows: Number(el.dataset.rows ?? 0),
          marks: el.querySelectorAll(selector).length + el.querySelectorAll("table tbody tr").length,
        }));
        const kpis = Object.fromEntries([...document.querySelectorAll("[data-kpi]")].map((el) => [el.dataset.kpi, el.dataset.value]));
        const inspectorErrors = [...document.querySelectorAll(".observablehq--error")].map((el) => el.textContent);
        return { charts, kpis, inspectorErrors };
      }, DATA_MARKS);
      if (screenshots) {
        mkdirSync(screenshots, { recursive: true });
        const name = page === "/" ? "overview" : page.slice(1);
        await tab.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
      }
      report.push({ page, errors: [...errors, ...facts.inspectorErrors], external, loadMs, renderedMs, dataBytes, ...facts });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return report;
}

/** Every problem of a report, one line each (empty: the site is fine). */
export function problems(report) {
  const out = [];
  for (const p of report) {
    for (const e of p.errors) out.push(`${p.page}: console error: ${e}`);
    for (const u of p.external) out.push(`${p.page}: request leaves 127.0.0.1: ${u}`);
    if (!p.charts.length) out.push(`${p.page}: no chart on the page`);
    for (const c of p.charts) if (!c.marks) out.push(`${p.page}: chart "${c.name}" has no data marks (${c.rows} rows)`);
  }
  return out;
}
