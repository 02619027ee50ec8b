import net from "node:net";

/** A port in 18300–18399 that nothing listens on right now (start at a random place to keep parallel runs apart). */
export async function freePort(): Promise<number> {
  const start = Math.floor(Math.random() * 100);
  for (let i = 0; i < 100; i++) {
    const port = 18300 + ((start + i) % 100);
    const ok = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once("error", () => resolve(false));
      srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error("no free port in 18300-18399");
}
