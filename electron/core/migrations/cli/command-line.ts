import { parseArgs } from 'node:util';
import type { ResolveChoice } from '../../../../shared/migrations.ts';

export type Verb = 'create' | 'status' | 'history' | 'up' | 'down' | 'baseline' | 'resolve';

export interface Command {
  verb: Verb;
  /** The verb's one argument: a name for `create`, a version for `baseline` and `resolve`. */
  argument?: string;
  dir: string;
  url?: string;
  json: boolean;
  dryRun: boolean;
  lockTimeoutMs?: number;
  to?: string;
  count?: number;
  allowOutOfOrder: boolean;
  choice?: ResolveChoice;
}

/**
 * What the person asked for: a command, help text to print, or a usage mistake to report (with the usage
 * line to print under it, when the mistake was in the options).
 */
export type Parsed = { command: Command } | { help: string } | { usageError: string; usage?: string };

const OPTIONS = {
  dir: { type: 'string' },
  url: { type: 'string' },
  json: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'lock-timeout': { type: 'string' },
  to: { type: 'string' },
  count: { type: 'string' },
  'allow-out-of-order': { type: 'boolean' },
  resume: { type: 'boolean' },
  revert: { type: 'boolean' },
  'mark-resolved': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionName = keyof typeof OPTIONS;

/** What each option's value is called in the help. */
const VALUE_NAMES: Partial<Record<OptionName, string>> = { dir: 'DIR', url: 'URL', 'lock-timeout': 'SECONDS', to: 'VERSION', count: 'N' };

const URL_HELP = '  --url URL           the database (postgres://... or mysql://...); else DATABASE_URL, also read from ./.env';
const DIR_HELP = '  --dir DIR           the migrations folder (default ./migrations)';
const CONNECTION_HELP = `${URL_HELP}\n${DIR_HELP}`;
const RUN_HELP = `  --dry-run           print every statement that would run, history-table ones included; change nothing
  --lock-timeout S    seconds to wait for another runner's lock (default 10)
  --json              print the report as JSON`;

interface VerbSpec {
  usage: string;
  summary: string;
  argument?: string;
  options: OptionName[];
  help: string;
}

const RUN_OPTIONS: OptionName[] = ['dir', 'url', 'dry-run', 'lock-timeout', 'json'];

const VERBS: Record<Verb, VerbSpec> = {
  create: {
    usage: 'create <name> [--dir DIR]',
    summary: 'write a new migration file named with the current UTC time',
    argument: 'a name',
    options: ['dir'],
    help: DIR_HELP,
  },
  status: {
    usage: 'status [--json]',
    summary: 'list every version: applied, pending, failed, modified, missing, out of order, baseline, reverted',
    options: ['dir', 'url', 'json'],
    help: `${CONNECTION_HELP}\n  --json              one object per version, each with a "status" string`,
  },
  history: {
    usage: 'history [--json]',
    summary: 'every event of the history table, oldest first',
    // --dir too, so one set of flags serves every verb (the history itself comes from the database alone).
    options: ['dir', 'url', 'json'],
    help: `${CONNECTION_HELP}\n  --json              print the events as JSON`,
  },
  up: {
    usage: 'up [--to VERSION] [--dry-run]',
    summary: 'apply pending migrations in order',
    options: [...RUN_OPTIONS, 'to', 'allow-out-of-order'],
    help: `  --to VERSION        stop after this version
  --allow-out-of-order  also apply pending versions older than the newest applied one
${CONNECTION_HELP}\n${RUN_HELP}`,
  },
  down: {
    usage: 'down [--count N | --to VERSION] [--dry-run]',
    summary: 'revert the newest applied migrations (one unless told)',
    options: [...RUN_OPTIONS, 'to', 'count'],
    help: `  --count N           revert the N newest applied versions (default 1)
  --to VERSION        revert every applied version newer than VERSION (0 reverts all)
${CONNECTION_HELP}\n${RUN_HELP}`,
  },
  baseline: {
    usage: 'baseline <version> [--dry-run]',
    summary: 'record every pending version up to <version> as applied, without running it',
    argument: 'a version',
    options: RUN_OPTIONS,
    help: `${CONNECTION_HELP}\n${RUN_HELP}`,
  },
  resolve: {
    usage: 'resolve <version> --resume | --revert | --mark-resolved',
    summary: 'settle a failed migration',
    argument: 'a version',
    options: [...RUN_OPTIONS, 'resume', 'revert', 'mark-resolved'],
    help: `  --resume            run the statements from the failed one on (refused if those that ran changed)
  --revert            run the down section to undo what ran
  --mark-resolved     record it as completed: you finished it by hand
${CONNECTION_HELP}\n${RUN_HELP}`,
  },
};

function mainHelp(): string {
  const width = Math.max(...Object.values(VERBS).map((v) => v.usage.length));
  const lines = Object.values(VERBS).map((v) => `  ${v.usage.padEnd(width)}  ${v.summary}`);
  return `Usage: cabinet-migrate <command> [options]

Applies and reverts SQL migrations on PostgreSQL and MySQL/MariaDB, keeping the history in cabinet_migrations.

Commands:
${lines.join('\n')}

Run "cabinet-migrate <command> --help" for a command's options.
`;
}

function verbHelp(verb: Verb): string {
  const spec = VERBS[verb];
  return `Usage: cabinet-migrate ${spec.usage}\n\n${spec.summary[0]!.toUpperCase()}${spec.summary.slice(1)}.\n\nOptions:\n${spec.help}\n`;
}

export function parseCommandLine(argv: string[]): Parsed {
  // Not strict: unknown options and missing values are reported here, with the usage line and the nearest option.
  const parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  const verbName = parsed.positionals[0];
  const verb = verbName !== undefined && Object.hasOwn(VERBS, verbName) ? (verbName as Verb) : undefined;
  const optionMistake = checkOptionTokens(parsed.tokens, verb);
  if (optionMistake) return optionMistake;
  // Every option token was checked above: the values have the types OPTIONS declares.
  const values = parsed.values as { [Name in OptionName]?: (typeof OPTIONS)[Name]['type'] extends 'string' ? string : boolean };
  const rest = parsed.positionals.slice(1);
  if (verbName === undefined) return values.help ? { help: mainHelp() } : { usageError: 'No command given; run "cabinet-migrate --help".' };
  if (verb === undefined) {
    const near = nearest(verbName, Object.keys(VERBS));
    return { usageError: `Unknown command "${verbName}".${near ? ` Did you mean ${near}?` : ''} Run "cabinet-migrate --help".` };
  }
  const spec = VERBS[verb];
  if (values.help) return { help: verbHelp(verb) };

  const given = (Object.keys(values) as OptionName[]).filter((name) => name !== 'help' && values[name] !== undefined);
  const foreign = given.find((name) => !spec.options.includes(name));
  if (foreign) return { usageError: `"${verb}" takes no --${foreign}; run "cabinet-migrate ${verb} --help".` };
  if (rest.length !== (spec.argument ? 1 : 0)) {
    return { usageError: spec.argument ? `"${verb}" takes ${spec.argument}: cabinet-migrate ${spec.usage}.` : `Unexpected "${rest.join(' ')}" after "${verb}".` };
  }

  const command: Command = {
    verb,
    dir: values.dir ?? './migrations',
    json: values.json ?? false,
    dryRun: values['dry-run'] ?? false,
    allowOutOfOrder: values['allow-out-of-order'] ?? false,
  };
  if (rest[0] !== undefined) command.argument = rest[0];
  if (values.url !== undefined) command.url = values.url;
  if (values.to !== undefined) command.to = values.to;
  if (values['lock-timeout'] !== undefined) {
    const seconds = Number(values['lock-timeout']);
    if (!Number.isFinite(seconds) || seconds < 0) return { usageError: `--lock-timeout takes seconds, not "${values['lock-timeout']}".` };
    command.lockTimeoutMs = seconds * 1000;
  }
  if (values.count !== undefined) {
    if (!/^[1-9]\d*$/.test(values.count)) return { usageError: `--count takes a whole number of at least 1, not "${values.count}".` };
    if (values.to !== undefined) return { usageError: 'Give --count or --to, not both.' };
    command.count = Number(values.count);
  }
  if (verb === 'resolve') {
    const choices = (['resume', 'revert', 'mark-resolved'] as const).filter((c) => values[c]);
    if (choices.length !== 1) return { usageError: 'resolve takes exactly one of --resume, --revert, --mark-resolved.' };
    command.choice = choices[0]!;
  }
  return { command };
}

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];

/** An option nobody declared, a value missing or given to a switch: the message, the usage line, the nearest option. */
function checkOptionTokens(tokens: Token[], verb: Verb | undefined): Parsed | undefined {
  const usage = `Usage: cabinet-migrate ${verb ? VERBS[verb].usage : '<command> [options]'}`;
  const more = verb ? `Run "cabinet-migrate ${verb} --help" for its options.` : 'Run "cabinet-migrate --help".';
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = Object.hasOwn(OPTIONS, token.name) ? OPTIONS[token.name as OptionName] : undefined;
    if (!option) {
      const offered = verb ? VERBS[verb].options : (Object.keys(OPTIONS) as OptionName[]);
      const near = nearest(token.name, [...offered, 'help']);
      const hint = near ? ` Did you mean --${near}?` : ` ${more}`;
      return { usageError: `Unknown option ${token.rawName}.${hint}`, usage };
    }
    // `--dir --json` would take "--json" as the folder: a value that looks like an option must be written --dir=...
    if (option.type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('-')))) {
      return { usageError: `${token.rawName} needs a value: ${token.rawName} ${VALUE_NAMES[token.name as OptionName]}. ${more}`, usage };
    }
    if (option.type === 'boolean' && token.value !== undefined) {
      return { usageError: `${token.rawName} is a switch and takes no value ("${token.rawName}=${token.value}"). ${more}`, usage };
    }
  }
  return undefined;
}

/** The candidate closest to a mistyped word, if it is close enough to be the one meant. */
export function nearest(typed: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(typed.toLowerCase(), candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  // A third of the word may be wrong (at least one letter, at most three): --dri-run, --dryrun, --lock-timout.
  return bestDistance <= Math.min(3, Math.max(1, Math.floor(typed.length / 3))) ? best : undefined;
}

/** Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}
