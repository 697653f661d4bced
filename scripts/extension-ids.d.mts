export declare const DEV_CHROME_KEY: string;
export declare const GECKO_ID: string;
export declare function chromeIdFromKey(base64Key: string): string;
export declare const DEV_CHROME_ID: string;
export declare const DEV_REDIRECT_URLS: Readonly<{ chrome: string; firefox: string }>;
