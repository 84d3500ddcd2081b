/**
 * A bank profile (or its configuration override) is unusable: start-up stops. Not a
 * DomainError: it never reaches an HTTP caller. The message names the file, the field (JSON
 * pointer) and the fix, one problem per line.
 */
export class BankProfileLoadError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? `Invalid bank profile: ${problems[0]}`
        : `Invalid bank profiles (${problems.length} problems):\n  - ${problems.join('\n  - ')}`,
    );
    this.name = 'BankProfileLoadError';
  }
}
