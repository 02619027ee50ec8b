// Preloaded into every node process of an e2e job (NODE_OPTIONS=--require …): appends
// "<node version> <script>" to $E2E_NODE_WITNESS, so the harness can tell which Node ran the
// action's main and post bundles, and that post ran at all.
//
// It also copies each `::error::` log command the process writes to stdout, as "<script> <line>",
// to $E2E_NODE_WITNESS.errors. act and Forgejo's runner in host mode may drop the last lines a
// failing step prints from their log (they close the step's terminal without reading what is left
// in it), and the error that fails a step is its last line; the copy is what the step surely said.
//
// Never throws: a witness must not change what it watches.
"use strict";
const fs = require("node:fs");
const file = process.env.E2E_NODE_WITNESS;
if (file) {
  const script = process.argv[1] ?? "-";
  try {
    fs.appendFileSync(file, `${process.version} ${script}\n`);
  } catch {
    /* the harness reports a missing witness line */
  }
  const write = process.stdout.write;
  process.stdout.write = function (chunk, ...rest) {
    try {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      const errors = text.split(/\r?\n/).filter((line) => line.startsWith("::error"));
      if (errors.length > 0) fs.appendFileSync(`${file}.errors`, errors.map((l) => `${script} ${l}\n`).join(""));
    } catch {
      /* the harness reports a missing error line */
    }
    return write.apply(this, [chunk, ...rest]);
  };
}
