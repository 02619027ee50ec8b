// A recording handler on the shared test server (127.0.0.1) standing in for the forge's REST API
// (Gitea/Forgejo /api/v1 or GitHub): the one thing these tests cannot have for real offline. It keeps
// just enough state (open pull requests, labels) to answer the calls the bump workflow makes, and
// records every request.
import { startServer } from "../../scripts/lib/http-server.mjs";

export interface Recorded {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface PullRequest {
  number: number;
  title: string;
  body: string;
  head: { ref: string };
  base: { ref: string };
  state: "open" | "closed";
  labels: unknown[];
}

export interface Label {
  id: number;
  name: string;
}

export interface RecordingForge {
  url: string;
  port: number;
  requests: Recorded[];
  pulls: PullRequest[];
  /** Labels of the repository owner's organisation; undefined: the owner is a user (GET /orgs/… answers 404). */
  orgLabels: Label[] | undefined;
  stop: () => Promise<void>;
}

export interface ForgeOptions {
  /** Items per page at most, whatever `limit` asks (Gitea's MAX_RESPONSE_ITEMS; 50 by default). */
  pageSize?: number;
  orgLabels?: Label[];
}

export async function startRecordingForge(labels: Label[], options: ForgeOptions = {}): Promise<RecordingForge> {
  const requests: Recorded[] = [];
  const pulls: PullRequest[] = [];
  const forge = { orgLabels: options.orgLabels };
  // Gitea's paging: page from 1, `limit` capped by the server's maximum; past the end, an empty list.
  const page = (items: Label[], url: URL) => {
    const size = Math.min(Number(url.searchParams.get("limit") ?? "50") || 50, options.pageSize ?? 50);
    const n = Math.max(1, Number(url.searchParams.get("page") ?? "1") || 1);
    return items.slice((n - 1) * size, n * size);
  };
  const server = await startServer((req, res) => {
    let raw = "";
    req.on("data", (d: Buffer) => (raw += d.toString()));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      let body: unknown = undefined;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      requests.push({ method: req.method ?? "", path: url.pathname + url.search, authorization: req.headers.authorization, body });
      // Connection: close, so no client keeps a socket to this port: a later forge may get the same
      // port, and a kept socket to the stopped one would fail its first request ("other side closed")
      const send = (code: number, value: unknown) => {
        res.writeHead(code, { "Content-Type": "application/json", Connection: "close" });
        res.end(JSON.stringify(value));
      };
      const org = url.pathname.match(/^\/api\/v1\/orgs\/([^/]+)\/labels$/);
      if (req.method === "GET" && org) {
        if (!forge.orgLabels) return send(404, { message: `${org[1]} is not an organization` });
        return send(200, page(forge.orgLabels, url));
      }
      const m = url.pathname.match(/^\/api\/v1\/repos\/([^/]+)\/([^/]+)\/(.*)$/);
      if (!m) return send(404, { message: "not found" });
      const rest = m[3];
      if (req.method === "GET" && rest === "pulls") {
        const page = Number(url.searchParams.get("page") ?? "1");
        return send(200, page === 1 ? pulls.filter((p) => p.state === "open") : []);
      }
      if (req.method === "POST" && rest === "pulls") {
        const b = body as { title: string; body: string; head: string; base: string };
        const pr: PullRequest = { number: 40 + pulls.length + 1, title: b.title, body: b.body, head: { ref: b.head }, base: { ref: b.base }, state: "open", labels: [] };
        pulls.push(pr);
        return send(201, pr);
      }
      const patch = rest.match(/^pulls\/(\d+)$/);
      if (req.method === "PATCH" && patch) {
        const pr = pulls.find((p) => p.number === Number(patch[1]));
        if (!pr) return send(404, { message: "no such pull request" });
        Object.assign(pr, body as object);
        return send(201, pr);
      }
      if (req.method === "GET" && rest === "labels") return send(200, page(labels, url));
      const addLabels = rest.match(/^issues\/(\d+)\/labels$/);
      if (req.method === "POST" && addLabels) {
        const pr = pulls.find((p) => p.number === Number(addLabels[1]));
        if (!pr) return send(404, { message: "no such issue" });
        pr.labels.push(...(body as { labels: unknown[] }).labels);
        return send(200, pr.labels);
      }
      return send(404, { message: `unexpected ${req.method} ${url.pathname}` });
    });
  });
  return Object.assign(forge, {
    url: `${server.origin}/api/v1`,
    port: server.port,
    requests,
    pulls,
    stop: server.stop,
  });
}
