import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the gate sees it: method, path with query, and headers. */
export interface GateRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

/**
 * An HTTP proxy in front of the local S3 store that holds the requests `hold` picks until
 * `release()`, and forwards every other request unchanged. A step pointed at it (S3_ENDPOINT)
 * stops at a known request, so a test can act while the step is at a known point (a load inside
 * its COPY, a lander between two writes) instead of racing a short window. The Host header is
 * passed on as the step signed it.
 */
export interface S3Gate {
  endpoint: string;
  /** Resolves once `n` requests have been held; rejects after `ms`. */
  waitHeld: (n: number, ms: number) => Promise<void>;
  /** Forwards the held requests and every later one. */
  release: () => void;
  /** Drops the requests still held (never forwarded: a killed client's write stays unwritten), stops. */
  close: () => Promise<void>;
}

export async function s3Gate(target: string, hold: (r: GateRequest, seen: GateRequest[]) => boolean): Promise<S3Gate> {
  const upstream = new URL(target);
  const seen: GateRequest[] = [];
  const waiting: { go: () => void; drop: () => void }[] = [];
  const watchers: (() => void)[] = [];
  let heldCount = 0;
  let released = false;
  let closed = false;
  const upstreamRequests = new Set<http.ClientRequest>();
  const forward = (req: http.IncomingMessage, res: http.ServerResponse) => {
    // A client that hung up while held is not forwarded (its body may be cut short).
    if (res.destroyed || req.socket.destroyed) return;
    const out = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstreamRequests.add(out);
    out.on('close', () => upstreamRequests.delete(out));
    out.on('error', () => res.destroy());
    // The client gone mid-request: so is the request upstream.
    res.on('close', () => {
      if (!res.writableFinished) out.destroy();
    });
    req.pipe(out);
  };
  const server = http.createServer((req, res) => {
    const r = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers };
    const stop = !released && hold(r, seen);
    seen.push(r);
    // A client that gives up (killed, aborted) must not leave the proxy writing to a dead socket.
    res.on('error', () => undefined);
    if (!stop) return forward(req, res);
    heldCount++;
    for (const w of watchers.splice(0)) w();
    waiting.push({ go: () => forward(req, res), drop: () => res.destroy() });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async waitHeld(n, ms) {
      const deadline = Date.now() + ms;
      while (heldCount < n) {
        if (closed) throw new Error(`the S3 gate closed after holding ${heldCount} of ${n} requests`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`the S3 gate held ${heldCount} of ${n} requests within ${ms} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          watchers.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    release() {
      released = true;
      for (const w of waiting.splice(0)) w.go();
    },
    close: () =>
      new Promise<void>((resolve) => {
        released = true;
        closed = true;
        for (const w of watchers.splice(0)) w();
        for (const w of waiting.splice(0)) w.drop();
        for (const out of upstreamRequests) out.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
