// Preloaded into every node process of an e2e job (NODE_OPTIONS=--require …): appends
// "<node version> <script>" to $E2E_NODE_WITNESS, so the harness can tell which Node ran the
// action's main and post bundles, and that post ran at all. Never throws: a witness must not
// change what it watches.
"use strict";
const file = process.env.E2E_NODE_WITNESS;
if (file) {
  try {
    require("node:fs").appendFileSync(file, `${process.version} ${process.argv[1] ?? "-"}\n`);
  } catch {
    /* the harness reports a missing witness line */
  }
}
