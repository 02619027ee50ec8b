export const COMPONENT: string;
export const COMPONENT_FILE: string;
export const HIDDEN_JOB: string;
export const DEFAULT_CLI: string;
export function inputVariable(name: string): string;
export function secretInputs(action: { inputs?: Record<string, { description: string }> }): string[];
export function renderComponent(actionYml: string): string;
