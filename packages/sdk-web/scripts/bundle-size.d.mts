export declare const CHECKOUT_GZIP_TARGET_BYTES: number;
export declare const CHECKOUT_GZIP_LIMIT_BYTES: number;
export declare function checkoutBundleSize(path: string): { raw: number; gzip: number };
