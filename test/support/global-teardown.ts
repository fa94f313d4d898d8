export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as any).__OKSIO_PG__ as { stop(): Promise<void> } | undefined;
  await pg?.stop();
}
