// A static server for the built site on 127.0.0.1 (clean URLs: /sales -> sales.html), for
// `make dashboard` and the browser tests. Usage: node lib/serve.mjs <dir> [port]
import { createReadStream, existsSync, statSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png", ".csv": "text/csv" };

function resolveFile(root, urlPath) {
  const clean = path.normalize(decodeURIComponent(urlPath.split("?")[0])).replace(/^(\.\.[/\\])+/, "");
  const base = path.join(root, clean);
  if (!base.startsWith(root)) return null;
  for (const candidate of [base, `${base}.html`, path.join(base, "index.html")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Serves `dir`; resolves with the server and its base URL once listening. */
export function serve(dir, port = 0) {
  const root = path.resolve(dir);
  const server = http.createServer((req, res) => {
    const file = resolveFile(root, req.url ?? "/");
    if (!file) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` }));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir = "dist", port = "0"] = process.argv.slice(2);
  if (!existsSync(path.join(dir, "index.html"))) {
    process.stderr.write(`${dir}/index.html is missing: build the site first (make dashboard)\n`);
    process.exit(2);
  }
  const { url } = await serve(dir, Number(port));
  process.stdout.write(`dashboard: ${url}/  (Ctrl-C to stop)\n`);
}
