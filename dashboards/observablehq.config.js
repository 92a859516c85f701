// The sales pipeline's dashboards (Observable Framework). Built offline: no web fonts
// (globalStylesheets: []), no search index, d3 / Plot / Inputs imported from node_modules by the pages.
export default {
  title: "Sales pipeline",
  root: "src",
  output: process.env.DASHBOARD_OUT ?? "dist",
  globalStylesheets: [],
  style: "style.css",
  search: false,
  pager: false,
  footer: "Built from the warehouse marts (schema <code>marts</code>) by the <code>dashboard</code> step.",
  pages: [
    { name: "Overview", path: "/" },
    { name: "Sales", path: "/sales" },
    { name: "Customers", path: "/customers" },
    { name: "Products", path: "/products" },
    { name: "Data quality", path: "/quality" },
  ],
};
