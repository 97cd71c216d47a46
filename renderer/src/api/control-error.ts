// A typed failure from the core, as the renderer sees it (the code survives the boundary).
export class ControlError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

export const describeError = (e: unknown): string =>
  e instanceof ControlError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
