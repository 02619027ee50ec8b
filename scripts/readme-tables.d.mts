export const BEGIN: string;
export const END: string;
export function renderTables(actionYml: string): string;
