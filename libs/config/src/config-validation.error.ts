export interface ConfigIssue {
  /** The environment variable (or variable form, e.g. `API_KEYS_FILE`) at fault. */
  variable: string;
  /** What it expects and what it got (secret values are never shown). */
  message: string;
}

/**
 * Start-up configuration is wrong. The message lists every bad variable so an operator can fix
 * them all in one go; `main.ts` prints it and exits 1.
 */
export class ConfigValidationError extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      `Invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  - ${i.variable}: ${i.message}`).join('\n'),
    );
    this.name = 'ConfigValidationError';
  }
}
