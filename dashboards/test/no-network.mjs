// Preload (node --import) that cuts a process off from every host but this machine: any host name
// other than localhost fails to resolve, as on a machine without network, and is appended to the
// file named by NO_NETWORK_LOG. Connections by IP address (the local stack's 127.0.0.1) still work.
// Child processes inherit it through NODE_OPTIONS (the framework's data loaders).
import dns from "node:dns";
import { appendFileSync } from "node:fs";

const allowed = new Set(["localhost", "127.0.0.1", "::1"]);
const refuse = (hostname) => {
  if (process.env.NO_NETWORK_LOG) appendFileSync(process.env.NO_NETWORK_LOG, `${hostname}\n`);
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (network blocked by test/no-network.mjs)`), {
    code: "ENOTFOUND",
    hostname,
  });
};
const lookup = dns.lookup;
dns.lookup = function (hostname, options, callback) {
  const cb = typeof options === "function" ? options : callback;
  if (!allowed.has(hostname)) return process.nextTick(cb, refuse(hostname));
  return lookup.call(this, hostname, options, callback);
};
const promisesLookup = dns.promises.lookup;
dns.promises.lookup = async (hostname, options) => {
  if (!allowed.has(hostname)) throw refuse(hostname);
  return promisesLookup(hostname, options);
};
