/**
 * What the VM reports to a person when it cannot start or a change cannot apply. The message is the
 * whole story in one sentence; `rebuild` says the fix is to rebuild the VM image (npm run vm:image),
 * so a UI can offer that instead of a generic retry.
 */
export class VmError extends Error {
  readonly rebuild: boolean;

  constructor(message: string, options: { rebuild?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VmError';
    this.rebuild = options.rebuild ?? false;
  }
}
