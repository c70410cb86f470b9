import { Counter, Histogram } from 'prom-client';
import type { Registry } from '../shared/metrics/registry.js';
import type { RunnerDeps } from '../workflows/runner.js';

/**
 * The workflow server's metrics: runs and their durations by workflow and status. A technical
 * workflow is named (a fixed list: tracking, indicators, cleanup…); marketing workflows, which
 * operators create without limit, are all counted under workflow="marketing".
 */
export function registerWorkflowMetrics(registry: Registry): NonNullable<RunnerDeps['onRun']> {
  const runs = new Counter({
    name: 'herald_wfserver_workflow_runs_total',
    help: 'Workflow runs that ended, by workflow (technical name, or "marketing") and status.',
    labelNames: ['workflow', 'status'],
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'herald_wfserver_workflow_run_duration_seconds',
    help: 'How long workflow runs took, by workflow (technical name, or "marketing").',
    labelNames: ['workflow'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers: [registry],
  });
  return (wf, status, seconds) => {
    const workflow = wf.kind === 'technical' ? wf.name : 'marketing';
    runs.inc({ workflow, status });
    durations.observe({ workflow }, seconds);
  };
}
