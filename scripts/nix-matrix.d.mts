export const RESULTS: string;
export const BEGIN: string;
export const END: string;
export const TESTED_WITH_DOC: string;
export const AREAS: { key: string; title: string; dirs: string[] }[];
export interface AreaTally {
  files: number;
  passed: number;
  failed: number;
  skipped: number;
}
export interface Results {
  machine: string;
  versions: { version: string; areas: Record<string, AreaTally> }[];
}
export interface VitestReport {
  startTime: number;
  testResults: { name: string; status: string; endTime: number; assertionResults: { status: string }[] }[];
}
export function tally(report: VitestReport): { areas: Record<string, AreaTally>; seconds: number };
export function summaryLine(r: { version: string; areas: Record<string, AreaTally>; seconds: number }): string;
export interface E2eRow {
  runner: string;
  env: string;
  nix: string;
  node: string;
  kind: string;
}
export function e2eRows(text?: string): E2eRow[];
export function renderTestedWith(results: Results, rows?: E2eRow[]): string;
export function replaceBlock(readme: string, block: string): string;
