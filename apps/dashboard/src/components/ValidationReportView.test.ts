import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import ValidationReportView from './ValidationReportView.svelte';
import IntervalBar from './IntervalBar.svelte';

describe('ValidationReportView', () => {
  it('lists line errors as text, never as HTML', () => {
    render(ValidationReportView, {
      report: {
        format: 'jsonl',
        bytes: 10,
        rows: 3,
        items: 1,
        invalidRows: 2,
        duplicateRows: 0,
        errors: [
          { line: 2, field: 'ideal', message: '`ideal` is missing' },
          { line: 3, message: '<img src=x onerror=alert(1)> is not JSON' },
        ],
        errorCount: 2,
        warnings: [],
        warningCount: 0,
        categories: { math: 1 },
        graders: {},
        rejected: true,
        rejectionReason: 'Too many invalid rows (2 of 3)',
      },
    });
    // The page says why once; the report shows what was valid and that nothing was stored.
    expect(screen.queryByRole('alert')).toBeNull();
    const counts = screen.getByTestId('validation-report').textContent ?? '';
    expect(counts).toMatch(/Valid rows\s*1/);
    expect(counts).toMatch(/Stored\s*nothing \(rejected\)/);
    expect(counts).not.toMatch(/Items kept/);
    const list = screen.getByTestId('line-errors');
    expect(list.querySelectorAll('li')).toHaveLength(2);
    // The line is said once: the view adds it, the message does not repeat it.
    expect(list.textContent?.match(/line 2/g)).toHaveLength(1);
    expect(list.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(list.querySelector('img')).toBeNull();
  });
});

describe('IntervalBar', () => {
  it('shows the mean and describes the interval for screen readers', () => {
    const { container } = render(IntervalBar, { mean: 0.5, interval: [0.4, 0.6], n: 100 });
    expect(container.textContent).toContain('50.0%');
    expect(container.textContent).toContain('95% interval 40.0% to 60.0%, 100 samples');
  });
  it('says when there is no data', () => {
    const { container } = render(IntervalBar, { mean: null, interval: null, n: 0 });
    expect(container.textContent).toContain('no data');
  });
});
