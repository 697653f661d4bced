import type { Settings } from '../src/shared/settings';

export declare const LOCAL_STACK_PORT: number;
export declare const LOCAL_IDENTITY_POOL_ID: string;
export declare const LOCAL_STACK_SETTINGS: Readonly<Settings>;
