/** Paris wall time ↔ instants for `datetime-local` inputs (no library: Intl gives the offset). */

/** `2031-02-01T09:30` read as Paris wall time → ISO instant with the Paris offset of that date. */
export function parisLocalToInstant(local: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number);
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  // The Paris offset at that moment (CET +1 or CEST +2): two passes settle DST edges.
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
        .formatToParts(new Date(guess))
        .map((p) => [p.type, p.value]),
    );
    const shown = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
    guess = asUtc - (shown - guess);
  }
  return new Date(guess).toISOString();
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
/** Business time as a Paris `datetime-local` value. */
export function parisLocal(instant: number): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(new Date(instant))
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${pad(Number(p.month))}-${pad(Number(p.day))}T${p.hour}:${p.minute}`;
}

