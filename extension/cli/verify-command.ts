export async function runVerify(_a: string[]): Promise<number> { return 2; }
