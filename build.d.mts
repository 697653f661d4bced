import type { BuildOptions } from 'esbuild';

export declare const BROWSERS: string[];
type Options = { release?: boolean; out?: string; minify?: boolean };
type WithEntries = BuildOptions & { entryPoints: Record<string, string>; outdir: string };
export declare function sharedOptions(browser: string, options?: Options): BuildOptions & { outdir: string };
export declare function workerBundleOptions(browser: string, options?: Options): WithEntries;
export declare function pageBundleOptions(browser: string, page: 'popup' | 'options', options?: Options): WithEntries;
export declare function bundleOptions(browser: string, options?: Options): WithEntries[];
