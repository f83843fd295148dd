import type { Reporter, TestCase, TestModule, TestSuite } from 'vitest/node';

/**
 * Ends the run with one plain line, `Tests: N passed, N failed, N skipped`, which CI systems
 * that do not know vitest's own summary can read. Skipped tests are counted apart, never as
 * passed; a test that never ran because its file or a suite around it failed (a `beforeAll`
 * that threw) counts as failed, not as skipped. Such a run once read "586 passed, 0 failed,
 * 5 skipped" while it exited with 1.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed' || withinFailedSuite(test)) counts.failed++;
        else counts.skipped++;
      }
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) counts.failed++;
    }
    process.stdout.write(`\nTests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}

/** Whether a suite or the file around this test failed on its own (its hooks or its code threw). */
function withinFailedSuite(test: TestCase): boolean {
  for (let parent: TestSuite | TestModule = test.parent; ; parent = parent.parent) {
    if (parent.errors().length > 0) return true;
    if (parent.type === 'module') return false;
  }
}
