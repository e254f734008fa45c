// Types of build.mjs (plain JavaScript: bin.mjs loads it without a compiler).
export declare const ROOT: string;
export declare const DIST: string;
export declare const OUTPUT: string;
export declare const INPUTS: string;
export declare function buildCli(): Promise<string>;
export declare function canBuild(): boolean;
export declare function isFresh(): boolean;
