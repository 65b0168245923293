/** The Electron executable when its binary is installed, otherwise undefined. */
export function electronBinary(): string | undefined;
