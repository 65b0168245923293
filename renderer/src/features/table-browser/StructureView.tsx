import { useEffect, useState, type ReactNode } from 'react';
import type { ForeignKeyInfo, TableStructure } from '../../../../shared/browse.ts';
import type { CabinetErrorData } from '../../../../shared/errors.ts';
import { call } from '../../api/client.ts';
import { toErrorData } from '../../api/errors.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Spinner } from '../../components/Icons.tsx';

/** Columns, keys, indexes, foreign keys both ways, checks, triggers, the view's SQL and partitions. */
export function StructureView({ connectionId, path, title }: { connectionId: string; path: string[]; title: string }) {
  const [structure, setStructure] = useState<{ for: string; value?: TableStructure; error?: CabinetErrorData } | null>(null);
  const key = `${connectionId}:${path.join('/')}`;

  useEffect(() => {
    let current = true;
    call('browse/structure', { connectionId, path }).then(
      (value) => current && setStructure({ for: key, value }),
      (error: unknown) => current && setStructure({ for: key, error: toErrorData(error) }),
    );
    return () => {
      current = false;
    };
  }, [connectionId, path, key]);

  if (structure?.for === key && structure.error) return <ErrorMessage error={structure.error} />;
  const s = structure?.for === key ? structure.value : undefined;
  if (!s) {
    return (
      <div className="muted-row">
        <Spinner /> Reading the structure of {title}…
      </div>
    );
  }
  const fkRows = (list: ForeignKeyInfo[], outward: boolean) =>
    list.map((fk) => [
      fk.name,
      outward ? fk.columns.join(', ') : `${qualified(fk.table)} (${fk.columns.join(', ')})`,
      outward ? `${qualified(fk.references)} (${fk.referencedColumns.join(', ')})` : fk.referencedColumns.join(', '),
      `ON UPDATE ${fk.onUpdate} · ON DELETE ${fk.onDelete}`,
    ]);

  return (
    <div className="structure" aria-label={`Structure of ${title}`}>
      {s.comment ? <p className="structure__comment">{s.comment}</p> : null}
      <Section title="Columns" count={s.columns.length}>
        <Table
          head={['Name', 'Type', 'Nullable', 'Default', 'Generated', 'Comment']}
          rows={s.columns.map((c) => [
            c.name,
            c.type,
            c.nullable ? 'yes' : 'no',
            c.default ?? '',
            c.generated ? `${c.generated}${c.generationExpression ? `: ${c.generationExpression}` : ''}` : '',
            c.comment ?? '',
          ])}
        />
      </Section>
      <Section title="Primary key" count={s.primaryKey ? 1 : 0}>
        {s.primaryKey ? <Table head={['Name', 'Columns']} rows={[[s.primaryKey.name, s.primaryKey.columns.join(', ')]]} /> : <Empty>No primary key.</Empty>}
      </Section>
      <Section title="Unique constraints" count={s.uniqueConstraints.length}>
        <Table head={['Name', 'Columns']} rows={s.uniqueConstraints.map((u) => [u.name, u.columns.join(', ')])} />
      </Section>
      <Section title="Indexes" count={s.indexes.length}>
        <Table
          head={['Name', 'Columns', 'Method', 'Unique', 'Partial']}
          rows={s.indexes.map((i) => [i.name, i.columns.join(', '), i.method, i.primary ? 'primary' : i.unique ? 'yes' : 'no', i.predicate ?? ''])}
        />
      </Section>
      <Section title="Foreign keys" count={s.foreignKeys.length}>
        <Table head={['Name', 'Columns', 'References', 'Actions']} rows={fkRows(s.foreignKeys, true)} />
      </Section>
      <Section title="Referenced by" count={s.referencedBy.length}>
        <Table head={['Name', 'From', 'Columns here', 'Actions']} rows={fkRows(s.referencedBy, false)} />
      </Section>
      <Section title="Check constraints" count={s.checks.length}>
        <Table head={['Name', 'Expression']} rows={s.checks.map((c) => [c.name, c.expression])} />
      </Section>
      <Section title="Triggers" count={s.triggers.length}>
        <Table
          head={['Name', 'When', 'Level', 'Enabled', 'Definition']}
          rows={s.triggers.map((t) => [t.name, `${t.timing} ${t.events.join(' OR ')}`, t.level, t.enabled ? 'yes' : 'no', t.definition])}
        />
      </Section>
      {s.viewDefinition !== null ? (
        <Section title="View definition" count={1}>
          <pre className="mono structure__sql">{s.viewDefinition}</pre>
        </Section>
      ) : null}
      {s.partitionKey !== null || s.partitions.length > 0 ? (
        <Section title="Partitions" count={s.partitions.length}>
          {s.partitionKey ? <p className="mono">PARTITION BY {s.partitionKey}</p> : null}
          <Table head={['Partition', 'Bound']} rows={s.partitions.map((p) => [qualified(p.table), p.bound])} />
        </Section>
      ) : null}
      {s.partitionOf ? <p className="structure__comment">Partition of {qualified(s.partitionOf.table)} {s.partitionOf.bound}</p> : null}
    </div>
  );
}

function qualified(table: { schema: string | null; name: string; database: string }): string {
  return table.schema ? `${table.schema}.${table.name}` : table.name;
}

function Section({ title, count, children }: { title: string; count: number; children: ReactNode }) {
  return (
    <section className="structure__section" aria-label={title}>
      <h2>
        {title} <span className="structure__count">{count}</span>
      </h2>
      {children}
    </section>
  );
}

function Empty({ children }: { children: ReactNode }) {
  return <p className="structure__empty">{children}</p>;
}

function Table({ head, rows }: { head: string[]; rows: string[][] }) {
  if (rows.length === 0) return <Empty>None.</Empty>;
  return (
    <table className="structure__table">
      <thead>
        <tr>
          {head.map((h) => (
            <th key={h} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={i}>
            {row.map((cell, j) => (
              <td key={j} className={j === 0 ? 'mono structure__name' : 'mono'}>
                {cell}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
