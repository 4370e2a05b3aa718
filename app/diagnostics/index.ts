/** Diagnostics: one archive with the logs, engine facts, settings and failures a bug report needs, secrets left out. */
export { createAppDiagnostics, type AppDiagnostics, type AppDiagnosticsOptions } from './app-diagnostics.js';
export { writeDiagnostics, type DiagnosticsResult, type DiagnosticsSources } from './diagnostics-archive.js';
export { redact, REDACTED, type Secret } from './redaction.js';
