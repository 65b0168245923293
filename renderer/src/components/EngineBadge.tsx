import type { Engine } from '../../../shared/profiles.ts';

export const ENGINE_LABELS: Record<Engine, string> = { postgres: 'PostgreSQL', mysql: 'MySQL/MariaDB' };
const SHORT: Record<Engine, string> = { postgres: 'PG', mysql: 'MY' };

export function EngineBadge({ engine, long = false }: { engine: Engine; long?: boolean }) {
  return (
    <span className={`engine-badge engine-badge--${engine}`} title={ENGINE_LABELS[engine]}>
      {long ? ENGINE_LABELS[engine] : SHORT[engine]}
    </span>
  );
}
