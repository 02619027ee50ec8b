export const BEGIN: string;
export const END: string;
export const SUB_ACTIONS: string[];
export const SUB_ACTIONS_DOC: string;
export function renderTables(actionYml: string): string;
export function subActionMarkers(name: string): { begin: string; end: string };
export function renderSubActionTables(name: string, actionYml: string): string;
export function replaceBlock(text: string, begin: string, end: string, block: string, where: string): string;
