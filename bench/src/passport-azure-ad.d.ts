// passport-azure-ad ships no types; this is the part the benchmark uses.
declare module 'passport-azure-ad' {
  export class BearerStrategy {
    constructor(options: Record<string, unknown>, verify: (token: unknown, done: (error: unknown, user?: unknown, info?: unknown) => void) => void);
    authenticate(req: unknown, options: unknown): void;
  }
}
