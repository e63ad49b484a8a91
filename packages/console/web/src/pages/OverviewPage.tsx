import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useEffect, useState } from 'react';
import { Chart as ChartView } from 'react-chartjs-2';
import { api, type JobState } from '../api';

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Tooltip,
  Legend,
);

interface Overview {
  counts: Record<JobState, number>;
  minutes: Array<{ at: number; ended: number; failed: number; runMs: number | null; waitMs: number | null }>;
  deliveries: { pending: number; delivered: number; failed: number };
}

/** What runs, what waits and what failed, and the last hour minute by minute. */
export const OverviewPage = () => {
  const [overview, setOverview] = useState<Overview | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    const load = () =>
      api<Overview>('GET', '/overview')
        .then(setOverview)
        .catch((e: Error) => setError(e.message));
    void load();
    const timer = setInterval(() => void load(), 5000);
    return () => clearInterval(timer);
  }, []);

  if (!overview) return error ? <p className="error">{error}</p> : <p className="muted">Loading…</p>;
  const { counts, minutes, deliveries } = overview;
  const cards = [
    { label: 'Queued', value: counts.queued, className: 'queued' },
    { label: 'Running', value: counts.running, className: 'running' },
    { label: 'Finished', value: counts.succeeded, className: 'succeeded' },
    { label: 'Failed', value: counts.failed + counts.timed_out + counts.canceled, className: 'failed' },
  ];
  const labels = minutes.map((m) => new Date(m.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
  return (
    <section>
      <h2>Overview</h2>
      <div className="cards">
        {cards.map((card) => (
          <div key={card.label} className={`card ${card.className}`} data-testid={`count-${card.className}`}>
            <span className="value">{card.value}</span>
            <span className="label">{card.label}</span>
          </div>
        ))}
      </div>
      <h3>
        <a href="#/deliveries">Deliveries</a>
      </h3>
      <p data-testid="delivery-counts">
        {deliveries.delivered} delivered, {deliveries.pending} pending, {deliveries.failed} given up
      </p>
      <h3>Last hour</h3>
      <div className="chart">
        <ChartView
          type="bar"
          data={{
            labels,
            datasets: [
              {
                type: 'bar',
                label: 'jobs ended / min',
                data: minutes.map((m) => m.ended - m.failed),
                backgroundColor: '#3b82f6',
                stack: 'jobs',
                yAxisID: 'jobs',
              },
              {
                type: 'bar',
                label: 'not succeeded / min',
                data: minutes.map((m) => m.failed),
                backgroundColor: '#ef4444',
                stack: 'jobs',
                yAxisID: 'jobs',
              },
              {
                type: 'line',
                label: 'run time (ms)',
                data: minutes.map((m) => m.runMs),
                borderColor: '#10b981',
                backgroundColor: '#10b981',
                yAxisID: 'ms',
                spanGaps: true,
              },
              {
                type: 'line',
                label: 'wait in queue (ms)',
                data: minutes.map((m) => m.waitMs),
                borderColor: '#f59e0b',
                backgroundColor: '#f59e0b',
                yAxisID: 'ms',
                spanGaps: true,
              },
            ],
          }}
          options={{
            animation: false,
            maintainAspectRatio: false,
            scales: {
              x: { stacked: true },
              jobs: {
                type: 'linear',
                position: 'left',
                stacked: true,
                beginAtZero: true,
                title: { display: true, text: 'jobs / min' },
              },
              ms: {
                type: 'linear',
                position: 'right',
                beginAtZero: true,
                grid: { drawOnChartArea: false },
                title: { display: true, text: 'ms' },
              },
            },
          }}
        />
      </div>
    </section>
  );
};
