import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { ErrorBox, PageTitle } from '../components';
import { formatDateTimeLong } from '../format';
import { useMutation, useNow, useSession } from '../session';
import { parisLocalToInstant } from '../time';

const SET = `mutation SetTestClock($instant: String, $advance: String, $frozen: Boolean) { setTestClock(instant: $instant, advance: $advance, frozen: $frozen) { now frozen offsetMs } }`;

const STEPS: Array<{ advance: string; label: string }> = [
  { advance: 'PT1H', label: '+1 heure' },
  { advance: 'P1D', label: '+1 jour' },
  { advance: 'P7D', label: '+1 semaine' },
  { advance: 'P1M', label: '+1 mois' },
  { advance: 'P1Y', label: '+1 an' },
];

export function TestClockScreen() {
  const { session, refresh } = useSession();
  const now = useNow(1000);
  const mutate = useMutation();
  const [local, setLocal] = useState('');
  const [frozen, setFrozen] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (variables: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const { setTestClock } = await mutate<{ setTestClock: { now: string; frozen: boolean } }>(SET, { ...variables, frozen }, { reason: 'admin client: test clock' });
      await refresh();
      setDone(`Horloge de test réglée sur ${formatDateTimeLong(setTestClock.now)}${setTestClock.frozen ? ' (figée)' : ' (elle avance)'}.`);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(String(e), 'server'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="page-title">
      <PageTitle>Horloge de test</PageTitle>
      {!session.testClockEnabled ? (
        <p class="notice" role="status">
          L'horloge de test est désactivée sur ce serveur ({session.environment}) : le temps métier est l'heure réelle. Elle n'existe jamais en production.
        </p>
      ) : (
        <>
          <p>
            Heure métier du serveur : <strong data-testid="clock-now">{formatDateTimeLong(now)}</strong> {session.clockFrozen ? '(figée)' : '(avance en temps réel)'}
          </p>
          <p class="muted">
            Voyager dans le temps déclenche les échéances dues (renouvellements, préavis, délais SLA, purges) comme si le temps avait passé. Réservé au rôle admin, hors production.
          </p>
          {session.role !== 'admin' ? (
            <p class="notice" role="status">
              Votre rôle ({session.role}) peut lire l'heure métier mais pas la changer.
            </p>
          ) : (
            <>
              <p>
                <label class="checkbox">
                  <input type="checkbox" checked={frozen} onChange={(e) => setFrozen((e.target as HTMLInputElement).checked)} /> Figer l'horloge à l'instant choisi
                </label>
              </p>
              <form
                class="inline-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  const instant = parisLocalToInstant(local);
                  if (!instant) {
                    setError(new ApiError('Indiquez une date et une heure (heure de Paris).', 'validation', null, null, [{ field: 'instant', message: 'date et heure attendues' }]));
                    return;
                  }
                  void run({ instant });
                }}
              >
                <label for="clock-instant">Aller à (heure de Paris)</label>
                <input id="clock-instant" type="datetime-local" value={local} onInput={(e) => setLocal((e.target as HTMLInputElement).value)} />
                <button type="submit" disabled={busy}>
                  Régler
                </button>
              </form>
              <div role="group" aria-label="Avancer l'horloge" class="button-row">
                {STEPS.map((s) => (
                  <button key={s.advance} type="button" class="secondary" disabled={busy} onClick={() => void run({ advance: s.advance })}>
                    {s.label}
                  </button>
                ))}
              </div>
            </>
          )}
          {done ? (
            <p class="notice notice-ok" role="status">
              {done}
            </p>
          ) : null}
          {error ? <ErrorBox error={error} context="horloge de test" /> : null}
        </>
      )}
    </section>
  );
}
