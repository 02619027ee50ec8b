// Serves git repositories read-only over smart HTTP on 127.0.0.1 (the shared test server), through git's own CGI program
// (git http-backend), for runners that fetch `uses: org/repo@ref` actions from a URL: Gitea's and
// Forgejo's runners clone them from --default-actions-url with go-git, which speaks smart HTTP only.
import { spawn } from "node:child_process";
import { startServer } from "../../scripts/lib/http-server.mjs";

export interface GitHttpServer {
  url: string;
  port: number;
  /** "METHOD /path?query STATUS", one per request answered. */
  requests: string[];
  stop: () => Promise<void>;
}

/** Serves every repository under `root` (e.g. root/org/nix-runner-action) at http://127.0.0.1:PORT/org/nix-runner-action. */
export async function startGitHttpServer(root: string): Promise<GitHttpServer> {
  const requests: string[] = [];
  const server = await startServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const cgi = spawn("git", ["http-backend"], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: root,
        // Every repository under root is served; pushes stay refused (http-backend allows
        // receive-pack only to an authenticated REMOTE_USER, and none is set).
        GIT_HTTP_EXPORT_ALL: "1",
        GIT_CONFIG_NOSYSTEM: "1",
        REQUEST_METHOD: req.method ?? "GET",
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers["content-type"] ?? "",
        HTTP_CONTENT_ENCODING: req.headers["content-encoding"] ?? "",
        GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
        REMOTE_ADDR: req.socket.remoteAddress ?? "",
      },
      stdio: ["pipe", "pipe", "ignore"],
    });
    req.pipe(cgi.stdin);
    // CGI output: header lines ("Status: 404 Not Found", "Content-Type: …"), a blank line, the body.
    let head: Buffer | undefined = Buffer.alloc(0);
    let status = 200;
    cgi.stdout.on("data", (d: Buffer) => {
      if (!head) return void res.write(d);
      head = Buffer.concat([head, d]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString().split("\r\n")) {
        const colon = line.indexOf(":");
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      res.write(head.subarray(end + 4));
      head = undefined;
    });
    cgi.on("close", (code) => {
      if (head) res.writeHead(502).end(`git http-backend exited ${code} without a response`);
      else res.end();
      requests.push(`${req.method} ${url.pathname}${url.search} ${head ? 502 : status}`);
    });
  });
  return { url: server.origin, port: server.port, requests, stop: server.stop };
}
