import { join } from 'node:path';
import { DEMO_PROFILE_ID, type ConnectionParams, type Profile } from '../../../shared/profiles.ts';
import type { Emit } from '../router.ts';
import { startDemoDatabase, type DemoDatabase } from './demo-database.ts';
import { applyFirstHalf, copyDemoMigrations } from './demo-migrations.ts';

export const DEMO_NAME = 'Demo (embedded PostgreSQL)';

/**
 * The built-in demo profile, started on first use and kept in the app's data folder, with its migrations
 * folder attached (`<dataDir>/demo/migrations`, see demo-migrations.ts).
 */
export class DemoService {
  private starting: Promise<DemoDatabase> | undefined;
  private port = 0;

  constructor(private readonly options: { dataDir: string; emit: Emit; log?: (line: string) => void }) {}

  profile(): Profile {
    return {
      id: DEMO_PROFILE_ID,
      name: DEMO_NAME,
      builtIn: true,
      password: 'none',
      createdAt: '1970-01-01T00:00:00.000Z',
      updatedAt: '1970-01-01T00:00:00.000Z',
      migrationsDir: this.migrationsDir,
      ...this.connectionParams(),
    };
  }

  private get migrationsDir(): string {
    return join(this.options.dataDir, 'demo', 'migrations');
  }

  async params(): Promise<ConnectionParams> {
    const demo = await this.start();
    this.port = demo.port;
    return this.connectionParams(demo);
  }

  /** Starts (once) in the background, so the first click finds it ready. */
  start(): Promise<DemoDatabase> {
    this.starting ??= startDemoDatabase({
      dataDir: join(this.options.dataDir, 'demo'),
      log: this.options.log,
      onBusy: (busy: boolean, message: string) => this.options.emit('demo/busy', { busy, message }),
    })
      .then(async (demo) => {
        await this.prepareMigrations(demo);
        return demo;
      })
      .catch((error: unknown) => {
        this.starting = undefined;
        throw error;
      });
    return this.starting!;
  }

  /** The demo works without its migrations: a failure here is logged, and the Migrations view shows what is missing. */
  private async prepareMigrations(demo: DemoDatabase): Promise<void> {
    try {
      // Only the start that brings the samples looks at the database: later ones add no work to start-up.
      if (!(await copyDemoMigrations(this.migrationsDir))) return;
      const report = await applyFirstHalf({ params: this.connectionParams(demo) }, this.migrationsDir);
      if (report) this.options.log?.(`demo: applied ${report.steps.length} sample migrations${report.failure ? `; ${report.failure.error.message}` : ''}`);
    } catch (error) {
      this.options.log?.(`demo: its migrations could not be prepared: ${String(error)}`);
    }
  }

  /** Ends the connection that holds the demo's single backend; false when nothing holds it. */
  async release(): Promise<boolean> {
    const demo = await this.starting?.catch(() => undefined);
    return demo ? demo.releaseBlocker() : false;
  }

  async stop(): Promise<void> {
    const starting = this.starting;
    this.starting = undefined;
    if (starting) await (await starting.catch(() => undefined))?.stop();
  }

  private connectionParams(demo?: DemoDatabase): ConnectionParams {
    return {
      engine: 'postgres',
      host: '127.0.0.1',
      port: demo?.port ?? this.port,
      user: demo?.user ?? 'postgres',
      database: demo?.database ?? 'postgres',
      sslMode: 'disable',
    };
  }
}
