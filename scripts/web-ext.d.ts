// The part of web-ext's programmatic API the scripts use (the package ships no types).
declare module 'web-ext' {
  interface ExtensionRunner {
    exit(): Promise<void>;
  }
  interface WebExt {
    cmd: {
      run(params: Record<string, unknown>, options?: { shouldExitProgram?: boolean }): Promise<ExtensionRunner>;
      build(params: Record<string, unknown>, options?: { shouldExitProgram?: boolean }): Promise<{ extensionPath: string }>;
    };
  }
  const webExt: WebExt;
  export default webExt;
}
