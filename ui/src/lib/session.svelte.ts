// The open repository and its plan, shared by every screen. Each change the consultant makes
// is written through the engine first, then the plan is read again, so totals and order on
// screen are always the engine's.

import type { AnalysisSummary } from './api/AnalysisSummary';
import type { PlanView } from './api/PlanView';
import type { ProgressEvent } from './api/ProgressEvent';
import type { Repository } from './api/Repository';
import type { Stage } from './api/Stage';
import { commands, toIpcError } from './ipc';

export const stageOrder: Stage[] = ['walk', 'parse', 'store', 'search', 'history', 'map', 'checks'];

class Session {
  repository: Repository | null = $state(null);
  plan: PlanView | null = $state(null);
  analysing = $state(false);
  cancelling = $state(false);
  /** The latest event of each stage of the running (or last) analysis. */
  stages: Partial<Record<Stage, ProgressEvent>> = $state({});
  lastRun: AnalysisSummary | null = $state(null);
  error: string | null = $state(null);
  /** Bumped after every write, for screens that cache what they derived. */
  revision = $state(0);

  get path(): string | null {
    return this.repository?.path ?? null;
  }

  /** Opens a repository: shows its stored plan at once, or analyses it first. */
  async open(path: string): Promise<void> {
    this.error = null;
    try {
      this.repository = await commands.openRepository(path);
      this.plan = null;
      this.lastRun = null;
      if (this.repository.analysed_at !== null) await this.refresh();
      else await this.analyse();
    } catch (raw) {
      this.error = toIpcError(raw).message;
    }
  }

  async analyse(): Promise<void> {
    const path = this.path;
    if (!path || this.analysing) return;
    this.analysing = true;
    this.cancelling = false;
    this.stages = {};
    this.error = null;
    try {
      this.lastRun = await commands.analyseRepository(path, (event) => {
        this.stages = { ...this.stages, [event.stage]: event };
      });
      this.repository = await commands.openRepository(path);
      await this.refresh();
    } catch (raw) {
      const error = toIpcError(raw);
      this.error = error.code === 'cancelled' ? null : error.message;
    } finally {
      this.analysing = false;
      this.cancelling = false;
    }
  }

  async cancel(): Promise<void> {
    this.cancelling = true;
    await commands.cancelAnalysis();
  }

  async refresh(): Promise<void> {
    if (!this.path) return;
    this.plan = await commands.plan(this.path);
    this.revision += 1;
  }

  /** Runs a write, then reloads the plan; a failure is shown, never swallowed. */
  async change(write: (path: string) => Promise<void>): Promise<boolean> {
    if (!this.path) return false;
    try {
      await write(this.path);
      await this.refresh();
      return true;
    } catch (raw) {
      this.error = toIpcError(raw).message;
      return false;
    }
  }
}

export const session = new Session();
