import { easterSunday, frenchPublicHolidays } from './french-holidays';

/** Independently known dates (published calendars), not derived from the algorithm under test. */
const KNOWN: Record<number, { easter: string; easterMonday: string; ascension: string; whitMonday: string; goodFriday: string }> = {
  2024: { goodFriday: '2024-03-29', easter: '2024-03-31', easterMonday: '2024-04-01', ascension: '2024-05-09', whitMonday: '2024-05-20' },
  2025: { goodFriday: '2025-04-18', easter: '2025-04-20', easterMonday: '2025-04-21', ascension: '2025-05-29', whitMonday: '2025-06-09' },
  2026: { goodFriday: '2026-04-03', easter: '2026-04-05', easterMonday: '2026-04-06', ascension: '2026-05-14', whitMonday: '2026-05-25' },
  2027: { goodFriday: '2027-03-26', easter: '2027-03-28', easterMonday: '2027-03-29', ascension: '2027-05-06', whitMonday: '2027-05-17' },
  2028: { goodFriday: '2028-04-14', easter: '2028-04-16', easterMonday: '2028-04-17', ascension: '2028-05-25', whitMonday: '2028-06-05' },
  2029: { goodFriday: '2029-03-30', easter: '2029-04-01', easterMonday: '2029-04-02', ascension: '2029-05-10', whitMonday: '2029-05-21' },
  2030: { goodFriday: '2030-04-19', easter: '2030-04-21', easterMonday: '2030-04-22', ascension: '2030-05-30', whitMonday: '2030-06-10' },
};
const YEARS = Object.keys(KNOWN).map(Number);

const iso = ({ year, month, day }: { year: number; month: number; day: number }) =>
  `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
const dates = (year: number, alsaceMoselle = false) => frenchPublicHolidays(year, { alsaceMoselle }).map((h) => h.date);

describe('easterSunday (Meeus/Jones/Butcher)', () => {
  it.each(YEARS)('gives the known Easter Sunday of %i', (year) => {
    expect(iso(easterSunday(year))).toBe(KNOWN[year].easter);
  });

  it('matches historical and edge dates (earliest 22 March, latest 25 April)', () => {
    expect(iso(easterSunday(1818))).toBe('1818-03-22');
    expect(iso(easterSunday(2285))).toBe('2285-03-22');
    expect(iso(easterSunday(1943))).toBe('1943-04-25');
    expect(iso(easterSunday(2038))).toBe('2038-04-25');
    expect(iso(easterSunday(2000))).toBe('2000-04-23');
  });

  it('always falls on a Sunday between 22 March and 25 April', () => {
    for (let year = 1900; year <= 2200; year++) {
      const { month, day } = easterSunday(year);
      expect(new Date(Date.UTC(year, month - 1, day)).getUTCDay()).toBe(0);
      expect(month * 100 + day).toBeGreaterThanOrEqual(322);
      expect(month * 100 + day).toBeLessThanOrEqual(425);
    }
  });

  it('rejects non-Gregorian or non-integer years', () => {
    expect(() => easterSunday(1500)).toThrow(RangeError);
    expect(() => easterSunday(2026.5)).toThrow(RangeError);
  });
});

describe('frenchPublicHolidays', () => {
  it.each(YEARS)('%i has Easter Monday, Ascension and Whit Monday on their known dates', (year) => {
    const byName = new Map(frenchPublicHolidays(year).map((h) => [h.name, h.date]));
    expect(byName.get('Lundi de Pâques')).toBe(KNOWN[year].easterMonday);
    expect(byName.get('Ascension')).toBe(KNOWN[year].ascension);
    expect(byName.get('Lundi de Pentecôte')).toBe(KNOWN[year].whitMonday);
  });

  it('lists the 11 national holidays of 2026, sorted', () => {
    expect(frenchPublicHolidays(2026)).toEqual([
      { date: '2026-01-01', name: "Jour de l'an" },
      { date: '2026-04-06', name: 'Lundi de Pâques' },
      { date: '2026-05-01', name: 'Fête du Travail' },
      { date: '2026-05-08', name: 'Victoire 1945' },
      { date: '2026-05-14', name: 'Ascension' },
      { date: '2026-05-25', name: 'Lundi de Pentecôte' },
      { date: '2026-07-14', name: 'Fête nationale' },
      { date: '2026-08-15', name: 'Assomption' },
      { date: '2026-11-01', name: 'Toussaint' },
      { date: '2026-11-11', name: 'Armistice 1918' },
      { date: '2026-12-25', name: 'Noël' },
    ]);
  });

  it.each(YEARS)('%i has 11 national days, sorted, Easter Sunday and Good Friday not among them', (year) => {
    const list = dates(year);
    expect(list).toHaveLength(11);
    expect([...list].sort()).toEqual(list);
    expect(list).not.toContain(KNOWN[year].easter);
    expect(list).not.toContain(KNOWN[year].goodFriday);
    expect(list).not.toContain(`${year}-12-26`);
  });

  it.each(YEARS)('Alsace-Moselle adds Good Friday and 26 December in %i', (year) => {
    const list = dates(year, true);
    expect(list).toHaveLength(13);
    expect(list).toContain(KNOWN[year].goodFriday);
    expect(list).toContain(`${year}-12-26`);
    expect([...list].sort()).toEqual(list);
    expect(list.filter((d) => !dates(year).includes(d))).toEqual([KNOWN[year].goodFriday, `${year}-12-26`]);
  });

  it('names the Alsace-Moselle days', () => {
    const names = frenchPublicHolidays(2026, { alsaceMoselle: true }).map((h) => h.name);
    expect(names).toContain('Vendredi saint');
    expect(names).toContain('Saint-Étienne');
  });
});
