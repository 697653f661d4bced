import type { BuildOptions } from 'esbuild';

export declare const BROWSERS: string[];
export declare function bundleOptions(browser: string, options?: { release?: boolean; out?: string }): BuildOptions & { entryPoints: Record<string, string> };
export declare function lazyBundleOptions(browser: string, options?: { release?: boolean; out?: string }): BuildOptions & { entryPoints: Record<string, string> };
