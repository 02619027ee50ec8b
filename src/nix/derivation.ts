import { readFileSync } from "node:fs";

/**
 * The output paths a store derivation declares, read from its ATerm text
 * (`Derive([("out","/nix/store/…-x","",""),…],…)`), as `nix-store --query --outputs` prints them.
 * Undefined when the text is not that shape or an output has no path yet (content-addressed
 * outputs, a newer format such as `DrvWithVersion(`): then ask nix-store.
 */
export function outputsOfDrvText(text: string): string[] | undefined {
  const head = "Derive([";
  if (!text.startsWith(head)) return undefined;
  let i = head.length;
  /** A quoted ATerm string at i (escapes \\ \" \n \r \t), or undefined. */
  const str = (): string | undefined => {
    if (text[i] !== '"') return undefined;
    let out = "";
    for (i++; i < text.length; i++) {
      const c = text[i];
      if (c === '"') {
        i++;
        return out;
      }
      if (c === "\\") {
        const e = text[++i];
        out += e === "n" ? "\n" : e === "r" ? "\r" : e === "t" ? "\t" : e;
      } else out += c;
    }
    return undefined;
  };
  const expect = (c: string): boolean => (text[i] === c ? (i++, true) : false);
  const outputs: string[] = [];
  // bounded by the text: every turn consumes at least one output tuple
  while (i < text.length) {
    if (expect("]")) return outputs.length > 0 ? outputs : undefined;
    if (outputs.length > 0 && !expect(",")) return undefined;
    if (!expect("(")) return undefined;
    const fields: (string | undefined)[] = [str()];
    for (let f = 1; f < 4; f++) fields.push(expect(",") ? str() : undefined);
    if (!expect(")") || fields.some((x) => x === undefined)) return undefined;
    const p = fields[1]!;
    if (!p.startsWith("/")) return undefined;
    outputs.push(p);
  }
  return undefined;
}

/**
 * Outputs of the derivations, from their .drv files where those can be read; `unread` are those
 * the caller must ask `nix-store --query --outputs` about. Reading saves a process per batch, on
 * the path from a build's end to its upload. Synchronous on purpose: .drv files are small, and
 * for the 500 of a large job one awaited read after another took 60–90 ms here, reading them in
 * one go 5–8 ms.
 */
export function outputsOfDrvFiles(drvs: string[]): { outputs: string[]; unread: string[] } {
  const outputs: string[] = [];
  const unread: string[] = [];
  for (const d of drvs) {
    let text: string | undefined;
    try {
      text = readFileSync(d, "utf8");
    } catch {
      text = undefined;
    }
    const outs = text === undefined ? undefined : outputsOfDrvText(text);
    if (outs) outputs.push(...outs);
    else unread.push(d);
  }
  return { outputs, unread };
}
