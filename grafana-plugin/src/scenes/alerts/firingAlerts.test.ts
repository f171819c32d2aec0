import { toFiringAlerts } from './firingAlerts';

describe('toFiringAlerts', () => {
  it('keeps active alerts with their name and summary, sorted by name', () => {
    const alerts = toFiringAlerts([
      {
        labels: { alertname: 'Tokenmeter slow model calls' },
        annotations: { summary: 'p95 2400 ms' },
        status: { state: 'active' },
        startsAt: '2026-11-23T08:00:00Z',
      },
      {
        labels: { alertname: 'Tokenmeter high cost' },
        annotations: { description: 'cost 120 USD' },
        status: { state: 'active' },
      },
      { labels: { alertname: 'Silenced one' }, status: { state: 'suppressed' } },
    ]);
    expect(alerts.map((alert) => [alert.name, alert.summary])).toEqual([
      ['Tokenmeter high cost', 'cost 120 USD'],
      ['Tokenmeter slow model calls', 'p95 2400 ms'],
    ]);
  });

  it('does not repeat the name the summary opens with', () => {
    const [alert] = toFiringAlerts([
      {
        labels: { alertname: 'Health check failing' },
        annotations: { summary: 'Health check failing: health status is 0.00' },
      },
    ]);
    expect(alert?.summary).toBe('health status is 0.00');
  });

  it('refuses an answer that is not a list of alerts', () => {
    expect(() => toFiringAlerts({ message: 'forbidden' })).toThrow('list of alerts');
  });
});
