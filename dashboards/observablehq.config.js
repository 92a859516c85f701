// The sales pipeline's dashboards (Observable Framework). Built offline: no web fonts
// (globalStylesheets: []), no search index, d3 / Plot / Inputs imported from node_modules by the pages.
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { martsSchemaOf } from "./lib/env.mjs";

// The framework resolves its built-in libraries' versions from folder names in its npm cache and asks
// the npm registry for any missing; seeding them from npm-versions.json keeps every build offline.
const here = path.dirname(fileURLToPath(import.meta.url));
for (const spec of JSON.parse(readFileSync(path.join(here, "npm-versions.json"), "utf8")).versions) {
  mkdirSync(path.join(here, "src/.observablehq/cache/_npm", spec), { recursive: true });
}

// The schema the loaders read the marts from (the dashboard step's --marts-schema), named in the footer.
const marts = martsSchemaOf() ?? "marts";

export default {
  title: "Sales pipeline",
  root: "src",
  output: process.env.DASHBOARD_OUT ?? "dist",
  globalStylesheets: [],
  style: "style.css",
  search: false,
  pager: false,
  footer: `Built from the warehouse marts (schema <code>${marts}</code>) by the <code>dashboard</code> step.`,
  pages: [
    { name: "Overview", path: "/" },
    { name: "Sales", path: "/sales" },
    { name: "Customers", path: "/customers" },
    { name: "Products", path: "/products" },
    { name: "Data quality", path: "/quality" },
  ],
};
