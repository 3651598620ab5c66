// Generated per bundle by runtime-matrix/bundle.mjs: every portable test file, lazily evaluated.
declare module 'virtual:test-files' {
  export const files: Record<string, () => Promise<unknown>>;
}
