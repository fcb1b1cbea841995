// Injected into the CommonJS bundles: gives ESM code that reads import.meta.url a working value.
export const importMetaUrl = require('node:url').pathToFileURL(__filename).href;
