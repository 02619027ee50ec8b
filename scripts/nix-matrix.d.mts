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
/** An e2e row (its name, test/e2e/rows.ts rowName) and how many of its checks passed and failed. */
export interface E2eTally {
  row: string;
  passed: number;
  failed: number;
}
export interface Results {
  machine: string;
  versions: { version: string; areas: Record<string, AreaTally> }[];
  e2e: E2eTally[];
}
export interface VitestReport {
  startTime: number;
  testResults: { name: string; status: string; endTime: number; assertionResults: { status: string }[] }[];
}
export function tally(report: VitestReport): { areas: Record<string, AreaTally>; seconds: number };
export function summaryLine(r: { version: string; areas: Record<string, AreaTally>; seconds: number }): string;
export function e2eTally(report: { testResults: { assertionResults: { ancestorTitles: string[]; status: string }[] }[] }): E2eTally[];
export function renderTestedWith(results: Results): string;
export function replaceBlock(readme: string, block: string): string;
