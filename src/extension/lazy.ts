// Modules loaded on first use rather than at activation. Plain `require` with a literal path:
// esbuild bundles the module but runs its top level only when this is first called, and it also
// works when the sources run directly under a TypeScript loader (tests).

export const loadAnalyzer = () => require('../analysis/analyze') as typeof import('../analysis/analyze');
export const loadCliFormat = () => require('../cli/format') as typeof import('../cli/format');
export const loadHover = () => require('../language/hover') as typeof import('../language/hover');
export const loadCompletion = () => require('../language/completion') as typeof import('../language/completion');
export const loadSymbols = () => require('../language/symbols') as typeof import('../language/symbols');
export const loadTemplates = () => require('../language/templates') as typeof import('../language/templates');
